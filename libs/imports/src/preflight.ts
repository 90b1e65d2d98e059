import type { Readable } from 'node:stream';
import { readRows } from './file/read-rows.js';
import { ImportFileError } from './file/sniff.js';
import type { ImportFormat } from './import.entity.js';
import type { RowProblem } from './import-report.js';
import { type Header, resolveHeader } from './rows/columns.js';
import { parseRow } from './rows/row-parser.js';

/** Data rows checked while the upload is answered; the worker checks the whole file. */
export const PREFLIGHT_ROWS = 1000;

export interface PreflightResult {
  header: Header;
  headerProblems: RowProblem[];
  /** Problems of the first `PREFLIGHT_ROWS` data rows, as far as the file alone can tell. */
  rowProblems: RowProblem[];
  rowsChecked: number;
  /** Whether the file has more data rows than were checked. */
  more: boolean;
}

/**
 * Checks the beginning of an uploaded file: that it can be read (a damaged workbook, text that
 * is not UTF-8 or a broken quote throw `ImportFileError`), its header, and up to `maxRows` data
 * rows with the same checks the worker makes before it looks at the database.
 */
export async function preflight(
  input: Readable,
  format: ImportFormat,
  maxRows = PREFLIGHT_ROWS,
): Promise<PreflightResult> {
  let header: Header | null = null;
  let headerProblems: RowProblem[] = [];
  const rowProblems: RowProblem[] = [];
  let rowsChecked = 0;
  for await (const raw of readRows(input, format)) {
    if (!header) {
      ({ header, problems: headerProblems } = resolveHeader(raw.cells, raw.row));
      if (headerProblems.length > 0) break;
      continue;
    }
    if (rowsChecked >= maxRows) return { header, headerProblems, rowProblems, rowsChecked, more: true };
    rowsChecked += 1;
    const parsed = parseRow(header, raw);
    if (!parsed.ok) rowProblems.push(...parsed.problems);
  }
  if (!header) throw new ImportFileError('the file has no header row (the first row names the columns)');
  return { header, headerProblems, rowProblems, rowsChecked, more: false };
}
