import { findPersonsByNames, type NameMatch } from '#case-files';
import type { Actor } from '#common';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { readRows } from '../file/read-rows.js';
import type { ImportFormat } from '../import.entity.js';
import { resolveHeader } from '../rows/columns.js';
import { readPartialDate } from '../rows/row-parser.js';

/**
 * A name match at least this strong (the name search's score: 1 is the same folded spelling,
 * see `findPersonsByName`), with a compatible year of birth, makes a row a probable duplicate.
 */
export const DUPLICATE_MIN_SCORE = 0.75;

/** Name searches run at once (those of names that may match: see `findPersonsByNames`). */
const SEARCH_CONCURRENCY = 4;

/** Rows whose external ids are looked up together. */
const LOOKUP_ROWS = 1000;

/**
 * Matches asked of the search per name (its most): a common name can be held by many persons of
 * other years of birth, and the one born in the row's year must not fall off the end of the list.
 */
const SEARCH_LIMIT = 100;

/** Candidates kept per row (with a compatible year of birth), best first. */
const CANDIDATES_PER_ROW = 5;

/** A row's year of birth is compatible with a stored one when they agree or either is unknown. */
export const compatibleBirthYears = (a: number | null, b: number | null) => a === null || b === null || a === b;

/** A stored person a row may be. */
export interface Candidate {
  personId: string;
  score: number;
  displayName: string;
  birthYear: number | null;
}

/**
 * The stored persons each row of the file may duplicate, best first, by row (at most
 * `CANDIDATES_PER_ROW`, of a compatible year of birth): the name search
 * (`findPersonsByNames`, as the requester, who is told only of persons they may see) for every
 * row that may create a person (no `person_id`, no `new_person`, no stored external id), each
 * distinct name once. Without typos (`typos: false`): a name matches when its words, as folded
 * across scripts and transliterations, are those of a stored name or begin them (all but one of
 * three words or more), so that the names no one has cost one lookup of their words per batch
 * of rows. A typo lowers the score below `DUPLICATE_MIN_SCORE` in nearly every name anyway (0.66
 * for "Alibek Murauov" against "Alibek Muratov").
 *
 * It runs over the whole file before the import writes anything, outside its transaction, so
 * that the searches neither see nor wade through the names the import is adding (a trigram index
 * holds uncommitted entries too, and a search for each of 100,000 rows through them would grow
 * with the square of the file). Only committed persons are candidates; persons created by
 * earlier rows of the same file are matched by the planner, by folded name. When there is no
 * live person at all, nothing is searched.
 */
export async function findDuplicateCandidates(
  dataSource: DataSource,
  input: Readable,
  format: ImportFormat,
  actor: Actor,
): Promise<Map<number, Candidate[]>> {
  const found = new Map<number, Candidate[]>();
  const [anyone] = await dataSource.query<Array<{ found: boolean }>>(
    'SELECT EXISTS (SELECT 1 FROM persons WHERE archived_at IS NULL) AS found',
  );
  if (!anyone?.found) {
    input.destroy();
    return found;
  }
  const byName = new Map<string, NameMatch[]>();
  let columns: { name: number; externalId: number; personId: number; newPerson: number; birthYear: number } | null =
    null;
  let pending: Array<{ row: number; name: string; externalId: string | null; birthYear: number | null }> = [];

  const searchPending = async () => {
    const rows = pending;
    pending = [];
    const externalIds = [...new Set(rows.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
    const stored = new Set(
      externalIds.length === 0
        ? []
        : (
            await dataSource.query<Array<{ external_id: string }>>(
              'SELECT external_id FROM persons WHERE external_id = ANY($1::text[])',
              [externalIds],
            )
          ).map((p) => p.external_id),
    );
    const searching = rows.filter((r) => !(r.externalId && stored.has(r.externalId)));
    const names = [...new Set(searching.map((r) => r.name))].filter((name) => !byName.has(name));
    const results = await findPersonsByNames(dataSource.manager, names, actor, {
      limit: SEARCH_LIMIT,
      minScore: DUPLICATE_MIN_SCORE,
      typos: false,
      concurrency: SEARCH_CONCURRENCY,
    });
    for (const [name, matches] of results) byName.set(name, matches);
    const matched = searching.filter((r) => (byName.get(r.name)?.length ?? 0) > 0);
    const ids = [...new Set(matched.flatMap((r) => byName.get(r.name)!.map((c) => c.personId)))];
    if (ids.length === 0) return;
    const persons = await dataSource.query<Array<{ id: string; display_name: string; birth_date: string | null }>>(
      'SELECT id, display_name, birth_date FROM persons WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const byId = new Map(persons.map((p) => [p.id, p]));
    for (const r of matched) {
      const candidates = byName.get(r.name)!.flatMap((c) => {
        const p = byId.get(c.personId);
        const birthYear = p?.birth_date ? Number(p.birth_date.slice(0, 4)) : null;
        return p && compatibleBirthYears(r.birthYear, birthYear)
          ? [{ personId: c.personId, score: c.score, displayName: p.display_name, birthYear }]
          : [];
      });
      if (candidates.length > 0) found.set(r.row, candidates.slice(0, CANDIDATES_PER_ROW));
    }
  };

  for await (const raw of readRows(input, format)) {
    if (!columns) {
      const { header } = resolveHeader(raw.cells, raw.row);
      // A header with problems fails the import later; nothing to search for here.
      if (!header.includes('name')) return found;
      columns = {
        name: header.indexOf('name'),
        externalId: header.indexOf('external_id'),
        personId: header.indexOf('person_id'),
        newPerson: header.indexOf('new_person'),
        birthYear: header.indexOf('birth_year'),
      };
      continue;
    }
    const cell = (i: number) => (i < 0 ? '' : (raw.cells[i] ?? '').trim());
    const name = cell(columns.name);
    if (name === '' || cell(columns.personId) !== '' || /^(yes|y|true|1|да)$/i.test(cell(columns.newPerson))) continue;
    // Read as the row parser reads it ("1985", "~1985"); a year that is not one (the row is
    // refused later) is compatible with any.
    const birth = cell(columns.birthYear) ? readPartialDate(cell(columns.birthYear)) : null;
    const year = birth?.date.length === 4 ? Number(birth.date) : null;
    pending.push({ row: raw.row, name, externalId: cell(columns.externalId) || null, birthYear: year });
    if (pending.length >= LOOKUP_ROWS) await searchPending();
  }
  await searchPending();
  return found;
}
