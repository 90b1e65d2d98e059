import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { ImportFormat } from '../import.entity.js';
import type { RawRow } from '../rows/row-parser.js';
import { detectDelimiter, ImportFileError } from './sniff.js';

/** A cell longer than this (an unclosed quote swallowing the file, say) stops a CSV import. */
const MAX_CSV_RECORD_BYTES = 1_000_000;

/**
 * The rows of an uploaded file, streamed: the header first, then data rows, each with the row
 * number a spreadsheet shows (the first line or row is 1). Rows whose cells are all empty are
 * skipped but still counted. Only the first worksheet of a workbook is read.
 *
 * A file that cannot be read (not UTF-8, a broken quote, a damaged zip) ends the iteration with
 * an `ImportFileError`; an error of `input` itself (the database, while reading the chunks) is
 * passed on as it is, since trying again may well succeed.
 */
export async function* readRows(input: Readable, format: ImportFormat): AsyncGenerator<RawRow> {
  let inputError: Error | null = null;
  input.on('error', (error) => (inputError ??= error));
  try {
    yield* format === 'csv' ? csvRows(input) : xlsxRows(input);
  } catch (error) {
    if (inputError) throw inputError;
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(
      format === 'xlsx'
        ? 'the XLSX workbook is damaged or not a workbook (open and save it again in Excel, or export CSV UTF-8)'
        : 'the CSV file could not be read',
    );
  } finally {
    input.destroy();
  }
}

/** Decodes UTF-8 strictly (an invalid byte is an error, not a replacement character); drops a BOM. */
class Utf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly rowsRead: () => number) {
    // Two decoded chunks waiting at most (the default is 16 of them, 8 MB of a stored file): the
    // file is read as fast as its rows are used, and an import's progress is what it has parsed.
    super({ readableObjectMode: true, readableHighWaterMark: 2 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.decode(() => this.decoder.decode(chunk, { stream: true }), done);
  }

  override _flush(done: TransformCallback): void {
    this.decode(() => this.decoder.decode(), done);
  }

  private decode(read: () => string, done: TransformCallback): void {
    let text: string;
    try {
      text = read();
    } catch {
      done(
        new ImportFileError(
          'the file is not valid UTF-8 text from here on (save it as "CSV UTF-8")',
          this.rowsRead() + 1,
        ),
      );
      return;
    }
    if (text !== '') this.push(text);
    done();
  }
}

/** What the parser's errors (csv-parse's `code`s) mean to the user. */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed before the end of the file',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted cell is not doubled ("")',
  CSV_MAX_RECORD_SIZE: 'a row is longer than 1 MB (is a quote left open?)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote in the same cell',
};

async function* csvRows(input: Readable): AsyncGenerator<RawRow> {
  let row = 0;
  const text = input.pipe(new Utf8Decoder(() => row));
  text.on('error', () => undefined); // reported through the iterator
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  // The delimiter is read from the header line, before the parser is made: the first line with
  // something in it (blank lines before the header are skipped as rows, so they are here too).
  let head = '';
  let lineStart = 0;
  let headerLine: string | null = null;
  while (headerLine === null) {
    const end = head.indexOf('\n', lineStart);
    if (end >= 0) {
      const line = head.slice(lineStart, end);
      if (line.trim() !== '') headerLine = line;
      else lineStart = end + 1;
      continue;
    }
    const next = await chunks.next();
    if (next.done) headerLine = head.slice(lineStart);
    else head += next.value;
  }
  const parser = parse({
    delimiter: detectDelimiter(headerLine),
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_CSV_RECORD_BYTES,
  });
  const feeding = (async () => {
    try {
      // Waits for the parser to take more, or to be closed (the reader stopped early).
      const write = (value: string) =>
        parser.write(value)
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const done = () => {
                parser.off('drain', done);
                parser.off('close', done);
                resolve();
              };
              parser.on('drain', done);
              parser.on('close', done);
            });
      if (head !== '') await write(head);
      for (;;) {
        const next = await chunks.next();
        if (next.done) break;
        if (parser.destroyed) return;
        await write(next.value);
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (record.every((cell) => cell.trim() === '')) continue;
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const code = (error as { code?: string }).code;
    if (code && code in CSV_ERRORS)
      throw new ImportFileError(`the CSV file cannot be read: ${CSV_ERRORS[code]}`, row + 1);
    throw error;
  } finally {
    parser.destroy();
    text.destroy();
    await feeding;
  }
}

async function* xlsxRows(input: Readable): AsyncGenerator<RawRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles say which numbers are dates, and what of a date they show.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const worksheet of workbook) {
    // The workbook's date system (its properties are read before its worksheets, as exceljs does).
    const date1904 = (workbook as { properties?: { model?: { date1904?: boolean } } }).properties?.model?.date1904;
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = Array.from(values, (value, i) =>
        cellText(value as ExcelJS.CellValue | undefined, row.findCell(i + 1)?.numFmt, date1904 === true),
      );
      if (cells.every((cell) => cell.trim() === '')) continue;
      yield { row: row.number, cells };
    }
    // The first worksheet only.
    return;
  }
  throw new ImportFileError('the workbook has no worksheet');
}

/**
 * A cell's value as text. Dates (cells formatted as dates, including the results of formulas
 * such as `=DATE(2022,3,15)`) are read as the day, `2022-03-15`, or with a time as wall-clock
 * time, `2024-03-15T10:00`: a workbook has no time zone. A date whose format shows only its month
 * and year (`mmm yyyy`, `mm.yyyy`) is the month, `2022-03`; only its year (`yyyy`), the year,
 * `2022`: the partial dates the columns read.
 */
export function cellText(value: ExcelJS.CellValue | undefined, numFmt?: string, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value, numFmt);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('error' in value) return String(value.error);
    if ('result' in value) {
      // exceljs turns the numbers of date cells into dates, but leaves formulas' results numbers.
      const result = value.result as ExcelJS.CellValue;
      if (typeof result === 'number' && isDateFormat(numFmt)) return dateText(excelDate(result, date1904), numFmt);
      return cellText(result, numFmt, date1904);
    }
    if ('text' in value)
      return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue, numFmt, date1904);
  }
  return '';
}

/** A date as text, to the precision its number format shows (see `cellText`). */
function dateText(value: Date, numFmt: string | undefined): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  const shown = datePrecision(numFmt);
  if (shown === 'year') return iso.slice(0, 4);
  if (shown === 'month') return iso.slice(0, 7);
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? iso.slice(0, 16) : iso.slice(0, 19);
}

/** An Excel date serial (days since 1899-12-30, or 1904-01-01) as a wall-clock date, as exceljs reads one. */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Whether a number format is a date's: exceljs's own test (`isDateFmt`), for formulas' results too. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/**
 * What of a date its number format shows: the letters of its first section (positive numbers),
 * without text in quotes, escaped characters, fill and padding characters and `[...]` parts (a
 * locale, a colour, elapsed time), in either case. With a day, an hour or seconds it is the day
 * (`m` may be minutes then); with a year and months and no day, the month; with a year alone, the year.
 */
function datePrecision(numFmt: string | undefined): 'day' | 'month' | 'year' {
  if (!numFmt) return 'day';
  const letters = (
    numFmt
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, '')
      .replace(/[_*]./g, '')
      .split(';')[0] ?? ''
  )
    .replace(/\[[^\]]*]/g, '')
    .toLowerCase();
  // The year is `y`, or `e` and `bb` (era and Buddhist years).
  if (/[dhs]/.test(letters) || !/[yeb]/.test(letters)) return 'day';
  return /m/.test(letters) ? 'month' : 'year';
}
