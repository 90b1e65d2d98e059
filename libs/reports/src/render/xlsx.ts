import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ReportDocument, TableColumn } from '../document.js';
import { columnShares } from './pdf.js';

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;

const COLOR = { marking: 'FFA50E0E', headerFill: 'FFECEFF3', rule: 'FFC8CCD2', white: 'FFFFFFFF' };
/** Column widths in characters: a row's share of about a landscape page, within readable bounds. */
const SHEET_WIDTH = 120;
const COLUMN_WIDTH = { min: 8, max: 60 };
/** Excel refuses header and footer texts longer than this (codes included). */
const HEADER_FOOTER_LIMIT = 255;

/**
 * Writes the report's sheet (and its summary, if any) as an XLSX workbook streamed to `out`: each row is committed
 * and compressed as it is read, so a list of 100,000 rows uses the memory of a few. Internal reports carry the
 * marking above the header row and in the printed page header of every sheet.
 */
export async function renderXlsx(doc: ReportDocument, out: Writable): Promise<void> {
  // `readable: false`: a duplex `out` is done once it has taken everything, whether or not anyone reads it yet.
  const delivered = finished(out, { readable: false });
  // Awaited below; until then a failure of `out` must not count as an unhandled rejection.
  delivered.catch(() => undefined);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  describe(workbook, doc);
  try {
    await writeRows(workbook, doc, () => flowControl(out, delivered));
    if (doc.summary) writeSummary(workbook, doc.summary, doc);
    await Promise.race([workbook.commit(), delivered]);
  } catch (error) {
    out.destroy(error as Error);
  }
  await delivered;
}

function describe(workbook: Workbook, doc: ReportDocument): void {
  workbook.title = doc.title;
  workbook.subject = doc.subtitle ?? '';
  workbook.creator = doc.footer || doc.title;
  workbook.lastModifiedBy = workbook.creator;
  // exceljs writes `dc:language` from this property, which its typings leave out.
  Object.assign(workbook, { language: doc.language });
}

/**
 * Lets the row stream go no faster than the output: zlib compresses on the thread pool, so rows that never wait for
 * I/O must give it a turn of the event loop, and a slow reader of `out` holds the rows back.
 */
async function flowControl(out: Writable, delivered: Promise<void>): Promise<void> {
  await nextTurn();
  if (out.destroyed || out.writableNeedDrain) await Promise.race([once(out, 'drain'), delivered]);
}

async function writeRows(workbook: Workbook, doc: ReportDocument, flow: () => Promise<void>): Promise<void> {
  const { columns, rows } = doc.sheet;
  const headerRow = doc.marking ? 2 : 1;
  const sheet = workbook.addWorksheet(sheetName(doc.sheet.name), {
    views: [{ state: 'frozen', ySplit: headerRow }],
    headerFooter: printedHeaderFooter(doc),
    pageSetup: {
      paperSize: 9, // A4
      orientation: columns.length > 4 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  // Written when the sheet is committed, so it may be set now; the typings only have it on the worksheet.
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } };
  sheet.columns = columnWidths(columns).map((width) => ({
    width,
    style: { alignment: { vertical: 'top', wrapText: true } },
  }));
  if (doc.marking) markingRow(sheet, doc.marking, columns.length);
  const header = sheet.addRow(columns.map((column) => column.label));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLOR.headerFill } };
  header.border = { bottom: { style: 'thin', color: { argb: COLOR.rule } } };
  header.commit();
  for await (const cells of rows) {
    sheet.addRow(cells).commit();
    await flow();
  }
  sheet.commit();
}

function writeSummary(workbook: Workbook, summary: NonNullable<ReportDocument['summary']>, doc: ReportDocument): void {
  const sheet = workbook.addWorksheet(sheetName(summary.name), {
    headerFooter: printedHeaderFooter(doc),
    pageSetup: { paperSize: 9, orientation: 'portrait' },
  });
  sheet.columns = [
    { width: 40, style: { font: { bold: true }, alignment: { vertical: 'top', wrapText: true } } },
    { width: 30, style: { alignment: { vertical: 'top', wrapText: true } } },
  ];
  if (doc.marking) markingRow(sheet, doc.marking, 2);
  for (const { label, value } of summary.rows) sheet.addRow([label, value]).commit();
  sheet.commit();
}

function markingRow(sheet: ExcelJS.Worksheet, marking: string, width: number): void {
  const row = sheet.addRow([marking]);
  row.font = { bold: true, color: { argb: COLOR.white } };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLOR.marking } };
  row.alignment = { horizontal: 'center' };
  if (width > 1) sheet.mergeCells(row.number, 1, row.number, width);
  row.commit();
}

/** Printed on every page: the marking at the top, the footer and "page / pages" at the bottom. */
function printedHeaderFooter(doc: ReportDocument): Partial<ExcelJS.HeaderFooter> {
  const pageNumbers = '&R&P / &N';
  const footer = `&L${headerFooterText(doc.footer, HEADER_FOOTER_LIMIT - pageNumbers.length - 2)}${pageNumbers}`;
  if (!doc.marking) return { oddFooter: footer };
  const color = `&K${COLOR.marking.slice(2)}`;
  return {
    oddHeader: `&C&B${color}${headerFooterText(doc.marking, HEADER_FOOTER_LIMIT - 4 - color.length)}`,
    oddFooter: footer,
  };
}

/** `&` starts a code in header and footer texts, so a literal one is doubled; too long a text is cut short. */
function headerFooterText(text: string, limit: number): string {
  const escape = (part: string) => part.replaceAll('&', '&&');
  if (escape(text).length <= limit) return escape(text);
  let kept = '';
  let length = 1; // the ellipsis
  for (const character of text) {
    length += character === '&' ? 2 : 1;
    if (length > limit) break;
    kept += character;
  }
  return `${escape(kept)}…`;
}

/** Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ], not empty. */
function sheetName(name: string): string {
  return (
    name
      .replace(/[:\\/?*[\]]/g, ' ')
      // exceljs quotes the name with apostrophes in the print titles' reference.
      .replaceAll("'", '’')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 31)
      .trim() || 'Sheet1'
  );
}

function columnWidths(columns: TableColumn[]): number[] {
  return columnShares(columns).map((share, index) =>
    Math.min(
      COLUMN_WIDTH.max,
      Math.max(COLUMN_WIDTH.min, columns[index]!.label.length + 2, Math.round(share * SHEET_WIDTH)),
    ),
  );
}
