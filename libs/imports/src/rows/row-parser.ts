import {
  CASE_STAGES,
  CreateCaseDto,
  CreateCustodyEventDto,
  CreateHearingDto,
  CreatePersonDto,
  CUSTODY_STATUSES,
  hearingStartProblem,
  parseHearingStart,
} from '#case-files';
import {
  BoundedMemo,
  type FieldError,
  InvalidInputError,
  type PartialDate,
  validateDto,
  VISIBILITIES,
  type Visibility,
} from '#common';
import type { RowProblem } from '../import-report.js';
import type { ColumnName, Header } from './columns.js';

/** One row of the file as its cells' text, with its row number (the header is row 1). */
export interface RawRow {
  row: number;
  cells: string[];
}

/** A name of the row, with the column it came from. */
interface RowName {
  value: string;
  script: string | null;
  column: ColumnName;
}

/**
 * A row read and checked with the API's own DTO classes and rules (partial dates, IANA zones,
 * custody statuses, stages, visibility, lengths). What needs the database (does the external id
 * exist, is the source citable, is it a duplicate) is checked when the row is planned.
 */
export interface ParsedRow {
  row: number;
  externalId: string | null;
  /** `person_id`: the row is this existing person. */
  personId: string | null;
  /** `new_person`: a different person from any probable duplicate. */
  newPerson: boolean;
  /** The person as the row gives it (`names[0]` preferred); empty cells are absent, not null. */
  person: CreatePersonDto;
  birthYear: number | null;
  /** The visibility the row gives, if any (every record of the row takes it). */
  visibility: Visibility | null;
  custody: CreateCustodyEventDto | null;
  /** The case without participants and event (those are resolved when the row is planned). */
  case: CreateCaseDto | null;
  hearing: { dto: CreateHearingDto; startsAt: Date } | null;
  /** `source` and `event` as written: an id, an external id, a URL or a name. */
  source: string | null;
  event: string | null;
}

export type RowResult = { ok: true; row: ParsedRow } | { ok: false; problems: RowProblem[] };

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ISO 15924 script of a name written in one script only (Latin or Cyrillic), else null. */
export function detectScript(value: string): 'Latn' | 'Cyrl' | null {
  const cyrillic = CYRILLIC.test(value);
  const latin = LATIN.test(value);
  if (cyrillic && !latin) return 'Cyrl';
  if (latin && !cyrillic) return 'Latn';
  return null;
}

/** `House arrest`, `HOUSE_ARREST`, ` house-arrest ` -> `house-arrest`. */
export function normaliseEnum(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

const APPROXIMATE = /^(?:~|ca\.?\s*|c\.\s*|circa\s+|about\s+|около\s+|примерно\s+)/i;

/**
 * Reads a partial date as people write it: `2022`, `2022-03`, `2022-03-15`, `15.03.2022`,
 * `03.2022`; with `~` (or `ca.`, `circa`, `about`) in front it is approximate. Returns null for
 * anything else. Whether it is a real date is left to the DTO's validator (`2022-02-30` is not).
 */
export function readPartialDate(text: string): PartialDate | null {
  let value = text.trim();
  const approximate = APPROXIMATE.test(value);
  if (approximate) value = value.replace(APPROXIMATE, '').trim();
  let date: string | null = null;
  let precision: PartialDate['precision'] | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(value))) [date, precision] = [m[1]!, 'year'];
  else if ((m = /^(\d{4})-(\d{1,2})$/.exec(value))) [date, precision] = [`${m[1]}-${m[2]!.padStart(2, '0')}`, 'month'];
  else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value)))
    [date, precision] = [`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`, 'day'];
  else if ((m = /^(\d{1,2})\.(\d{4})$/.exec(value))) [date, precision] = [`${m[2]}-${m[1]!.padStart(2, '0')}`, 'month'];
  else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value)))
    [date, precision] = [`${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`, 'day'];
  if (date === null || precision === null) return null;
  return { date, precision: approximate ? 'approximate' : precision };
}

/** `a; b ;; c` -> `['a', 'b', 'c']`. */
function list(text: string): string[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * The charges of `charges` with the article in the same place of `articles` (`Art. 274;;Art. 174`
 * gives the second charge none). Both are positional: an empty entry of `charges` (`A;;B`, a
 * trailing `;`) is no charge, and the entry of `articles` in its place is dropped with it, so
 * that `A;B;` with `1;2;` and `A;;B` with `1;;2` are two charges with their articles. An article
 * in the place of an empty charge, or beyond the last charge, is a problem of `charge_articles`.
 */
function chargesWithArticles(
  chargesText: string,
  articlesText: string | null,
  problem: (column: string, message: string) => void,
): Array<{ description: string; article?: string }> {
  const entries = chargesText.split(';').map((part) => part.trim());
  const articles = (articlesText ?? '').split(';').map((part) => part.trim());
  const charges: Array<{ description: string; article?: string }> = [];
  const forEmpty: number[] = [];
  entries.forEach((description, i) => {
    const article = articles[i] ?? '';
    if (description !== '') charges.push({ description, ...(article !== '' ? { article } : {}) });
    else if (article !== '') forEmpty.push(i + 1);
  });
  if (forEmpty.length > 0) {
    const which = forEmpty.length === 1 ? `entry ${forEmpty[0]}` : `entries ${forEmpty.join(', ')}`;
    problem('charge_articles', `has an article in ${which}, where charges has no charge (an empty entry between ;)`);
  }
  // Entries beyond the last charge: an error unless empty (a trailing `;`).
  let given = articles.length;
  while (given > entries.length && articles[given - 1] === '') given -= 1;
  if (given > entries.length) {
    const count = entries.filter((e) => e !== '').length;
    problem(
      'charge_articles',
      count === entries.length
        ? `has ${given} entries for ${count} charges`
        : `has ${given} entries for the ${entries.length} entries of charges`,
    );
  }
  return charges;
}

const YES = new Set(['yes', 'y', 'true', '1', 'да']);
const NO = new Set(['no', 'n', 'false', '0', 'нет', '']);

/**
 * Reads one data row against the header: every problem of the row at once, each naming its
 * column, or the row as DTOs validated exactly as the API validates them.
 */
export function parseRow(header: Header, raw: RawRow): RowResult {
  const problems: RowProblem[] = [];
  const problem = (column: string, message: string) => problems.push({ row: raw.row, column, message });
  const cells = new Map<ColumnName, string>();
  raw.cells.forEach((text, i) => {
    const value = (text ?? '').trim();
    if (value === '') return;
    const column = header[i];
    if (column === undefined) problem(`#${i + 1}`, 'a value beyond the last column of the header');
    else if (column === null) problem(`#${i + 1}`, 'a value in a column without a name in the header');
    else cells.set(column, value);
  });
  const cell = (column: ColumnName) => cells.get(column) ?? null;
  const requires = (column: ColumnName, needed: ColumnName, what: string) => {
    if (cell(column) !== null && cell(needed) === null) problem(needed, `is required with ${column} (${what})`);
  };

  // Person.
  const names: RowName[] = [];
  const addName = (value: string, column: ColumnName, script: string | null) => {
    const key = (s: string | null, v: string) => `${s ?? ''}\u0000${v.normalize('NFC').toLocaleLowerCase()}`;
    // The same spelling twice in a row (say in `name` and `other_names`) is said once.
    if (names.some((n) => key(n.script, n.value) === key(script, value))) return;
    names.push({ value, script, column });
  };
  const name = cell('name');
  if (name === null) problem('name', 'is required');
  else addName(name, 'name', detectScript(name));
  const cyrillic = cell('name_cyrillic');
  if (cyrillic !== null) {
    if (!CYRILLIC.test(cyrillic)) problem('name_cyrillic', 'must be written in Cyrillic script');
    else addName(cyrillic, 'name_cyrillic', 'Cyrl');
  }
  for (const other of list(cell('other_names') ?? '')) addName(other, 'other_names', detectScript(other));

  let birthYear: number | null = null;
  let birthDate: PartialDate | undefined;
  const birth = cell('birth_year');
  if (birth !== null) {
    const date = readPartialDate(birth);
    if (!date || date.date.length !== 4) problem('birth_year', 'must be a year such as 1985, or ~1985 for about then');
    else [birthDate, birthYear] = [date, Number(date.date)];
  }

  let visibility: Visibility | null = null;
  if (cell('visibility') !== null) {
    const value = normaliseEnum(cell('visibility')!);
    if ((VISIBILITIES as readonly string[]).includes(value)) visibility = value as Visibility;
    else problem('visibility', `must be one of: ${VISIBILITIES.join(', ')}`);
  }

  // Ids come back from PostgreSQL lower-case: compared with them, the row's id must be too.
  const personId = cell('person_id')?.toLowerCase() ?? null;
  if (personId !== null && !UUID.test(personId)) problem('person_id', 'must be the id (a UUID) of a person');
  const newPersonText = cell('new_person');
  const newPerson = newPersonText !== null && YES.has(newPersonText.toLowerCase());
  if (newPersonText !== null && !YES.has(newPersonText.toLowerCase()) && !NO.has(newPersonText.toLowerCase())) {
    problem('new_person', 'must be yes or no');
  }
  if (newPerson && personId !== null) problem('new_person', 'cannot be yes when person_id names an existing person');

  const personPlain = {
    ...(cell('external_id') !== null ? { externalId: cell('external_id') } : {}),
    names: names.map((n, i) => ({ value: n.value, script: n.script, preferred: i === 0 })),
    ...(cell('country') !== null ? { country: cell('country') } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(cell('occupations') !== null ? { occupations: [...new Set(list(cell('occupations')!))] } : {}),
    ...(visibility ? { visibility } : {}),
  };
  const person = name === null ? null : validated(CreatePersonDto, personPlain, personColumn(names), problems, raw.row);

  // Custody.
  let custody: CreateCustodyEventDto | null = null;
  const status = cell('custody_status');
  const since = cell('custody_since');
  if (status !== null || since !== null) {
    requires('custody_status', 'custody_since', 'a date such as 2022-03');
    requires('custody_since', 'custody_status', `one of: ${CUSTODY_STATUSES.join(', ')}`);
    const from = since === null ? null : readPartialDate(since);
    if (since !== null && from === null) {
      problem('custody_since', 'must be a date written 2022, 2022-03 or 2022-03-15 (~ in front for "around")');
    }
    if (status !== null && from !== null) {
      custody = validated(
        CreateCustodyEventDto,
        {
          status: normaliseEnum(status),
          from,
          ...(cell('place') !== null ? { place: cell('place') } : {}),
          ...(cell('facility') !== null ? { facility: cell('facility') } : {}),
          ...(visibility ? { visibility } : {}),
        },
        custodyColumn,
        problems,
        raw.row,
        true,
      );
    }
  }
  for (const column of ['place', 'facility'] as const) requires(column, 'custody_status', 'what the place is of');

  // Case and hearing.
  let theCase: CreateCaseDto | null = null;
  let hearing: ParsedRow['hearing'] = null;
  const title = cell('case_title');
  for (const column of ['charges', 'stage', 'event', 'court', 'next_hearing_at'] as const) {
    requires(column, 'case_title', 'the case it belongs to');
  }
  requires('charge_articles', 'charges', 'the charges they are the articles of');
  const charges =
    cell('charges') === null ? [] : chargesWithArticles(cell('charges')!, cell('charge_articles'), problem);
  if (title !== null) {
    requires('case_title', 'stage', `one of: ${CASE_STAGES.join(', ')}`);
    const stage = cell('stage');
    if (stage !== null) {
      theCase = validated(
        CreateCaseDto,
        {
          title,
          stage: normaliseEnum(stage),
          ...(cell('country') !== null ? { country: cell('country') } : {}),
          ...(cell('court') !== null ? { court: cell('court') } : {}),
          charges,
          ...(visibility ? { visibility } : {}),
        },
        caseColumn,
        problems,
        raw.row,
      );
    }
    const startsAt = cell('next_hearing_at');
    requires('next_hearing_at', 'hearing_time_zone', 'an IANA zone such as Asia/Almaty');
    requires('hearing_time_zone', 'next_hearing_at', 'the hearing it is the zone of');
    const timeZone = cell('hearing_time_zone');
    if (startsAt !== null && timeZone !== null) {
      // `2024-03-15 10:00`, as spreadsheets write it, is `2024-03-15T10:00`.
      const iso = startsAt.replace(/^(\d{4}-\d{2}-\d{2})[ ](\d)/, '$1T$2');
      const dto = validated(
        CreateHearingDto,
        {
          startsAt: iso,
          timeZone,
          ...(cell('court') !== null ? { court: cell('court') } : {}),
          ...(visibility ? { visibility } : {}),
        },
        hearingColumn,
        problems,
        raw.row,
        true,
      );
      if (dto) {
        // The API's reading of a court time (IANA rules of that date), once per distinct time and zone.
        const start = memo('hearing-start', `${dto.startsAt}\u0000${dto.timeZone}`, () => {
          const instant = parseHearingStart(dto.startsAt, dto.timeZone);
          return instant
            ? { instant: instant.getTime(), problem: null }
            : { instant: null, problem: hearingStartProblem(dto.startsAt, dto.timeZone) ?? 'is not a valid date-time' };
        });
        if (start.instant !== null) hearing = { dto, startsAt: new Date(start.instant) };
        else problem('next_hearing_at', start.problem!);
      }
    }
  } else {
    requires('hearing_time_zone', 'case_title', 'the case of the hearing');
  }

  if (problems.length > 0 || !person) return { ok: false, problems: dedupe(problems) };
  return {
    ok: true,
    row: {
      row: raw.row,
      externalId: person.externalId ?? null,
      personId,
      newPerson,
      person,
      birthYear,
      visibility,
      custody,
      case: theCase,
      hearing,
      source: cell('source'),
      event: cell('event'),
    },
  };
}

/** Remembered answers of pure checks, per kind and distinct input; emptied when full (inputs come from files). */
const MEMO_LIMIT = 10_000;
const memos = new Map<string, BoundedMemo<unknown>>();

function memo<T>(kind: string, key: string, compute: () => T): T {
  let entries = memos.get(kind);
  if (!entries) memos.set(kind, (entries = new BoundedMemo(MEMO_LIMIT)));
  return entries.get(key, compute) as T;
}

/**
 * Validates `plain` as the API validates a request body, turning each field error into a
 * problem of the column the field came from. Returns null when it is invalid. With `remember`,
 * the outcome for the same values is reused (custody and hearing cells repeat a lot in a file;
 * the DTO instance is shared, and never changed).
 */
function validated<T extends object>(
  type: new () => T,
  plain: object,
  columnOf: (field: string) => string,
  problems: RowProblem[],
  row: number,
  remember = false,
): T | null {
  const check = (): { dto: T } | { errors: FieldError[] } => {
    try {
      return { dto: validateDto(type, plain) };
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return { errors: error.errors };
    }
  };
  const outcome = remember ? memo(type.name, JSON.stringify(plain), check) : check();
  if ('dto' in outcome) return outcome.dto;
  for (const e of outcome.errors) problems.push({ row, column: columnOf(e.field), message: e.message });
  return null;
}

/** `names[2].value` -> the column name 2 came from; other fields by their column. */
function personColumn(names: RowName[]): (field: string) => string {
  return (field) => {
    const index = /^names\[(\d+)\]/.exec(field);
    if (index) return names[Number(index[1])]?.column ?? 'name';
    return PERSON_FIELDS[field.split(/[.[]/)[0]!] ?? field;
  };
}

const PERSON_FIELDS: Record<string, ColumnName> = {
  externalId: 'external_id',
  names: 'name',
  country: 'country',
  birthDate: 'birth_year',
  occupations: 'occupations',
  visibility: 'visibility',
};

const custodyColumn = (field: string): string =>
  ({ status: 'custody_status', from: 'custody_since', place: 'place', facility: 'facility' })[
    field.split(/[.[]/)[0]!
  ] ?? field;

const caseColumn = (field: string): string =>
  /^charges\[\d+\]\.article$/.test(field)
    ? 'charge_articles'
    : ({ title: 'case_title', stage: 'stage', court: 'court', country: 'country', charges: 'charges' }[
        field.split(/[.[]/)[0]!
      ] ?? field);

const hearingColumn = (field: string): string =>
  ({ startsAt: 'next_hearing_at', timeZone: 'hearing_time_zone', court: 'court' })[field.split(/[.[]/)[0]!] ?? field;

/** The same message for the same column once (a visibility problem is found by several DTOs). */
function dedupe(problems: RowProblem[]): RowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.column}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
