import type { RowProblem } from '../import-report.js';

/**
 * The columns an import file may have, by header name (any order; matched without regard to
 * case, and with spaces or hyphens read as `_`: `Birth year` is `birth_year`). Only `name` is
 * required. Lists in one cell are separated by `;`.
 */
export const IMPORT_COLUMNS = {
  external_id: 'Your own stable id of the person: a row with an external id already stored updates that person.',
  person_id:
    'The id of a person in the case files: the row updates that person (to confirm a reported probable duplicate).',
  new_person:
    '`yes` to confirm that the row is a different person from the probable duplicate reported (creates it anyway).',
  name: 'Required. The preferred spelling of the name (it becomes the display name).',
  name_cyrillic: 'The name in Cyrillic script.',
  other_names: 'Other spellings, separated by `;`.',
  birth_year: 'Year of birth: `1985`, or `~1985` for "around 1985".',
  country: 'ISO 3166-1 alpha-2 country code (`KZ`); also the country of the case.',
  occupations: 'Occupations, separated by `;`.',
  custody_status:
    'Custody status (`arrested`, `pretrial-detention`, `house-arrest`, ...; `House arrest` is read as `house-arrest`).',
  custody_since:
    'Since when: `2022`, `2022-03`, `2022-03-15` (or `15.03.2022`, `03.2022`); `~2022-11` for "around November 2022". Required with custody_status.',
  place: 'Town or region of custody.',
  facility: 'Detention facility.',
  case_title: 'Title of the case against the person (a case of the person with this title is created once).',
  charges: 'Charges in the case, separated by `;`.',
  charge_articles:
    'The article of each charge (`Art. 274 CC RK`), separated by `;`, in the order of `charges`; an empty entry for a charge without one. An empty entry of `charges` (`A;;B`, a trailing `;`) is no charge, and the entry here in its place must be empty too.',
  stage: 'Stage of the case (`investigation`, `awaiting-trial`, `trial`, ...). Required with case_title.',
  event: 'The mass event the case stems from: its id, external id or name.',
  court: 'The court of the case, and of its next hearing.',
  next_hearing_at:
    'Next hearing, ISO 8601: `2024-03-15T10:00` is local time at the court, `2024-03-15T10:00+05:00` (the court’s offset) or `...Z` an exact instant.',
  hearing_time_zone: 'IANA time zone of the court (`Asia/Almaty`). Required with next_hearing_at.',
  visibility: '`public`, `internal` (default) or `restricted`, for every record the row creates or updates.',
  source: 'The source of the row: the id, external id or URL of a source in the case files; cited by its records.',
} as const;

export type ColumnName = keyof typeof IMPORT_COLUMNS;

export const COLUMN_NAMES = Object.keys(IMPORT_COLUMNS) as ColumnName[];

export const REQUIRED_COLUMNS: readonly ColumnName[] = ['name'];

/** `Birth year`, `birth-year`, ` BIRTH_YEAR ` -> `birth_year`. */
export function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Which column each cell of the header row is (null for a cell without a name). */
export type Header = Array<ColumnName | null>;

/**
 * Reads the header row. Problems: a column that is not one of `IMPORT_COLUMNS` (a misspelt
 * `birth_yaer` would otherwise be dropped without a word), a column named twice, a required
 * column missing. Cells without a name are allowed (spreadsheets often have some on the right);
 * a value under one is a problem of its row.
 */
export function resolveHeader(cells: readonly string[], row: number): { header: Header; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  const header: Header = cells.map((cell) => {
    const name = normaliseHeader(cell);
    if (name === '') return null;
    if (!(name in IMPORT_COLUMNS)) {
      problems.push({
        row,
        column: cell.trim(),
        message: `unknown column; the columns are: ${COLUMN_NAMES.join(', ')}`,
      });
      return null;
    }
    if (seen.has(name)) {
      problems.push({ row, column: name, message: 'is named twice in the header' });
      return null;
    }
    seen.add(name);
    return name as ColumnName;
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required))
      problems.push({ row, column: required, message: 'required column missing from the header' });
  }
  return { header, problems };
}
