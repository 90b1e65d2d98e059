import { type Options, stringify } from 'csv-stringify';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportDocument } from '../document.js';

/**
 * The report's sheet as CSV for spreadsheets: UTF-8 with a byte order mark (without it Excel
 * reads Cyrillic as Latin-1), RFC 4180 quoting and CRLF line ends. An internal report's first
 * line is its marking, so that the file says so wherever it is opened; then the column labels
 * and the rows, written as they are read (a campaign list's rows are a stream).
 */
export async function renderCsv(doc: ReportDocument, out: Writable): Promise<void> {
  await pipeline(Readable.from(records(doc)), stringify(OPTIONS), out);
}

const OPTIONS: Options = {
  bom: true,
  record_delimiter: 'windows',
  // csv-stringify quotes a field with the record delimiter (CRLF) but not one with a lone CR or
  // LF, which RFC 4180 requires quoted too (and spreadsheets read as a new row otherwise).
  quoted_match: /[\r\n]/,
};

async function* records(doc: ReportDocument): AsyncGenerator<string[]> {
  if (doc.marking) yield [doc.marking];
  yield doc.sheet.columns.map((column) => neutralise(column.label));
  for await (const row of doc.sheet.rows) yield row.map(neutralise);
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before one) as a
 * formula: names and notes come from many hands, so such a cell is written as text with a
 * leading apostrophe (OWASP's advice against CSV injection).
 */
function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
