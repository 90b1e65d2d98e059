/** A problem with one cell (or a whole row, or the header): what the user fixes in the file. */
export interface RowProblem {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  /** The column's name as the header gives it (`custody_since`), or `#3` for a column without a name. */
  column: string;
  message: string;
}

/** A row that looks like a person already in the case files; it is not written until confirmed. */
export interface DuplicateReport {
  row: number;
  /** The row's name. */
  name: string;
  /** The person it probably is (null when it is a person created by an earlier row of the file). */
  personId: string | null;
  /** That person's display name, or the name of the earlier row. */
  matchedName: string;
  /** The earlier row of the same file that creates the same person, if that is the match. */
  duplicateOfRow: number | null;
  /** Similarity of the names, from the name search (1 for an exact match in the file). */
  score: number;
}

export interface RecordCounts {
  persons: number;
  custodyEvents: number;
  cases: number;
  hearings: number;
}

/** What an import did (or, for a dry run, would do). */
export interface ImportReport {
  /** Data rows read (empty rows are skipped and not counted). */
  rows: number;
  /** Rows whose records were written (would be, in a dry run), including rows that changed nothing. */
  imported: number;
  /** Rows that matched what is stored already and changed nothing. */
  unchanged: number;
  created: RecordCounts;
  updated: Pick<RecordCounts, 'persons' | 'cases'>;
  /** Probable duplicates (at most `REPORT_LIMIT`), left out of the import until confirmed. */
  duplicates: DuplicateReport[];
  duplicateCount: number;
  /** Problems (at most `REPORT_LIMIT`), in row order. */
  errors: RowProblem[];
  errorCount: number;
  /** Rows with at least one problem. */
  invalidRows: number;
}

/** At most this many problems and duplicates are kept in a report; the counts are complete. */
export const REPORT_LIMIT = 1000;

export function emptyCounts(): RecordCounts {
  return { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 };
}

export function emptyReport(): ImportReport {
  return {
    rows: 0,
    imported: 0,
    unchanged: 0,
    created: emptyCounts(),
    updated: { persons: 0, cases: 0 },
    duplicates: [],
    duplicateCount: 0,
    errors: [],
    errorCount: 0,
    invalidRows: 0,
  };
}

export function addProblems(report: ImportReport, problems: readonly RowProblem[]): void {
  report.errorCount += problems.length;
  for (const problem of problems) {
    if (report.errors.length >= REPORT_LIMIT) break;
    report.errors.push(problem);
  }
}

export function addDuplicate(report: ImportReport, duplicate: DuplicateReport): void {
  report.duplicateCount += 1;
  if (report.duplicates.length < REPORT_LIMIT) report.duplicates.push(duplicate);
}
