import type { ImportFormat } from '../import.entity.js';

/** Why a file cannot be imported at all, in words for the user (never its contents). */
export class ImportFileError extends Error {
  constructor(
    message: string,
    /** The row being read when it happened, if any. */
    readonly row: number | null = null,
  ) {
    super(message);
  }
}

/**
 * What the first bytes of a file say it is. An XLSX file is a zip archive (`PK\x03\x04`); a CSV
 * file is UTF-8 text (a byte order mark is allowed). File names and declared content types are
 * not trusted: a `.csv` saved by Excel in Windows-1251 is refused here, with a hint.
 */
export function sniffFormat(head: Buffer): ImportFormat {
  if (head.length === 0) throw new ImportFileError('the file is empty');
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 2).toString('latin1') === 'PK') {
    throw new ImportFileError('the file is an empty or damaged zip archive, not an XLSX workbook');
  }
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new ImportFileError('Excel 97-2003 files (.xls) are not supported: save the sheet as .xlsx or CSV UTF-8');
  }
  if (head.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])) || head.subarray(0, 2).equals(Buffer.from([0xfe, 0xff]))) {
    throw new ImportFileError('the file is UTF-16 text: save it as CSV UTF-8');
  }
  if (head.includes(0)) throw new ImportFileError('the file is neither CSV text nor an XLSX workbook');
  if (!isUtf8Prefix(head)) {
    throw new ImportFileError('the file is not UTF-8 text (save it as "CSV UTF-8"), nor an XLSX workbook');
  }
  return 'csv';
}

/** Whether `bytes` is valid UTF-8, allowing a character cut off at the end. */
function isUtf8Prefix(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The delimiter of a CSV file, from its header line: `;` when it has more semicolons than
 * commas outside quotes (as Excel writes CSV where the decimal separator is a comma), else `,`.
 */
export function detectDelimiter(firstLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ',') commas += 1;
    else if (!quoted && char === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}
