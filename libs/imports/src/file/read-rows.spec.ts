import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { readRows } from './read-rows.js';
import { ImportFileError } from './sniff.js';

describe('readRows', () => {
  it('streams a CSV file: it reads a few chunks ahead of the rows it yields, not the whole file', async () => {
    const rowsPerChunk = 1000;
    const chunks = 40;
    const chunk = Buffer.from(`Zhanbolat Mamay,${'a'.repeat(80)}\n`.repeat(rowsPerChunk));
    let pulled = 0;
    const input = new Readable({
      read() {
        pulled += 1;
        if (pulled === 1) this.push(Buffer.from('name,note\n'));
        else this.push(pulled <= chunks + 1 ? chunk : null);
      },
    });
    const rows = readRows(input, 'csv');
    expect((await rows.next()).value).toEqual({ row: 1, cells: ['name', 'note'] });
    expect((await rows.next()).value).toMatchObject({ row: 2, cells: ['Zhanbolat Mamay', 'a'.repeat(80)] });
    // The chunk of that row, and a few more in the streams' buffers (about 100 KB each).
    expect(pulled).toBeLessThanOrEqual(6);
    let last = 2;
    let inOrder = true;
    for await (const row of rows) {
      inOrder &&= row.row === last + 1;
      last = row.row;
    }
    expect(inOrder).toBe(true);
    expect(last).toBe(1 + chunks * rowsPerChunk);
  });
});

/** Every row `readRows` yields from `file`. */
async function allRows(file: Buffer | string, format: 'csv' | 'xlsx') {
  const rows = [];
  for await (const row of readRows(Readable.from([Buffer.from(file)]), format)) rows.push(row);
  return rows;
}

describe('readRows (CSV)', () => {
  it('names the row of a cell longer than 1 MB', async () => {
    const file = `name,note\nShort,x\nLong,${'a'.repeat(1_100_000)}\n`;
    const error = await allRows(file, 'csv').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ row: 3, message: expect.stringContaining('longer than 1 MB') });
  });

  it('guesses the delimiter from the header, the first line with something in it', async () => {
    expect(await allRows('\r\nname;external_id\r\nBlank Lead;csv-3\r\n', 'csv')).toEqual([
      { row: 2, cells: ['name', 'external_id'] },
      { row: 3, cells: ['Blank Lead', 'csv-3'] },
    ]);
    expect(await allRows(' \n\r\n\nname;other_names\nA;B, C\n', 'csv')).toEqual([
      { row: 4, cells: ['name', 'other_names'] },
      { row: 5, cells: ['A', 'B, C'] },
    ]);
    expect(await allRows('\n\nname,external_id\nA,b;c\n', 'csv')).toEqual([
      { row: 3, cells: ['name', 'external_id'] },
      { row: 4, cells: ['A', 'b;c'] },
    ]);
    // A header without a line end, after a blank line.
    expect(await allRows('\nname;external_id', 'csv')).toEqual([{ row: 2, cells: ['name', 'external_id'] }]);
  });
});

describe('readRows (XLSX)', () => {
  /** A workbook of one row of cells after a header, each cell with a value and a number format. */
  async function workbook(cells: Array<{ value: ExcelJS.CellValue; numFmt?: string }>): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet');
    sheet.addRow(cells.map((_, i) => `c${i}`));
    const row = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
    });
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  const serial = (date: Date) => 25569 + date.getTime() / 86_400_000;

  it('reads the results of formulas formatted as dates as dates, others as numbers', async () => {
    const march15 = new Date(Date.UTC(2022, 2, 15));
    const hearing = new Date(Date.UTC(2031, 2, 15, 10, 0));
    const file = await workbook([
      { value: { formula: 'DATE(2022,3,15)', result: serial(march15) } as ExcelJS.CellValue, numFmt: 'dd.mm.yyyy' },
      { value: { formula: 'A1+0', result: 47922.41666666667 } as ExcelJS.CellValue, numFmt: 'yyyy-mm-dd hh:mm' },
      { value: { formula: 'B1+0', result: serial(hearing) } as ExcelJS.CellValue, numFmt: 'm/d/yy h:mm' },
      { value: { formula: '1+1', result: 2 } as ExcelJS.CellValue, numFmt: '0' },
      { value: { formula: '1987+0', result: 1987 } as ExcelJS.CellValue },
      { value: { formula: 'TEXT(1,"0")', result: '1' } as ExcelJS.CellValue, numFmt: 'dd.mm.yyyy' },
      { value: march15, numFmt: 'dd.mm.yyyy' },
    ]);
    const rows = await allRows(file, 'xlsx');
    expect(rows[1]!.cells).toEqual([
      '2022-03-15',
      '2031-03-15T10:00',
      '2031-03-15T10:00',
      '2',
      '1987',
      '1',
      '2022-03-15',
    ]);
  });

  it('reads a date formatted with its month and year only as the month, with its year only as the year', async () => {
    const date = new Date(Date.UTC(2022, 2, 1));
    const formula = { formula: 'DATE(2022,3,1)', result: serial(date) } as ExcelJS.CellValue;
    const file = await workbook([
      { value: date, numFmt: 'mmm yyyy' },
      { value: date, numFmt: 'mm.yyyy' },
      { value: date, numFmt: 'MMMM yyyy' },
      { value: date, numFmt: '[$-419]mmmm\\ yyyy;@' },
      { value: date, numFmt: 'mmm-yy' },
      { value: date, numFmt: 'yyyy' },
      { value: formula, numFmt: 'mm.yyyy' },
      { value: formula, numFmt: 'yyyy' },
      // With a day or a time, the day.
      { value: date, numFmt: 'dd mmm yyyy' },
      { value: date, numFmt: 'mm/yyyy hh:mm' },
      { value: date, numFmt: '"Month" mm "of" yyyy' },
    ]);
    const rows = await allRows(file, 'xlsx');
    expect(rows[1]!.cells).toEqual([
      '2022-03',
      '2022-03',
      '2022-03',
      '2022-03',
      '2022-03',
      '2022',
      '2022-03',
      '2022',
      '2022-03-01',
      '2022-03-01',
      '2022-03',
    ]);
  });
});
