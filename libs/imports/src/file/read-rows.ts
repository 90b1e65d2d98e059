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

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed before the end of the file',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted cell is not doubled ("")',
  CSV_MAX_RECORD_SIZE_EXCEEDED: 'a row is longer than 1 MB (is a quote left open?)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote in the same cell',
};

async function* csvRows(input: Readable): AsyncGenerator<RawRow> {
  let row = 0;
  const text = input.pipe(new Utf8Decoder(() => row));
  text.on('error', () => undefined); // reported through the iterator
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  // The delimiter is read from the header line, before the parser is made.
  let head = '';
  while (!head.includes('\n')) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  const firstLine = head.split('\n', 1)[0] ?? '';
  const parser = parse({
    delimiter: detectDelimiter(firstLine),
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
    // Styles say which numbers are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const worksheet of workbook) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = Array.from(values, (value) => cellText(value as ExcelJS.CellValue | undefined));
      if (cells.every((cell) => cell.trim() === '')) continue;
      yield { row: row.number, cells };
    }
    // The first worksheet only.
    return;
  }
  throw new ImportFileError('the workbook has no worksheet');
}

/**
 * A cell's value as text. Dates (cells formatted as dates) are read as the day, `2022-03-15`, or
 * with a time as wall-clock time, `2024-03-15T10:00`: a workbook has no time zone.
 */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
    return iso.endsWith(':00.000Z') ? iso.slice(0, 16) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('error' in value) return String(value.error);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  }
  return '';
}
