import { type Actor, DEFAULT_PAGE_SIZE, InvalidInputError, type Page } from '#common';
import { decodeCursor, encodeCursor } from '#database';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { queryKey } from './name-key.js';
import { applyPersonFilters } from './person-filter.js';
import { PersonEntity, PersonNameEntity } from './person.entity.js';

/**
 * Search by name, on `person_names.search_key` (see `nameKey`) and its trigram GIN index
 * (`gin_trgm_ops`, which answers `LIKE`, `%`, `<%` and `<<%`).
 *
 * Which names match depends on the query, in three levels:
 * - `prefix`, when every word of the query has one or two letters (too few for trigrams): names
 *   with a word starting with each of them (`LIKE 'm%' OR LIKE '% m%'`, escaped), in list order
 *   (by `seq`: the persons are probed in order until the page is full, instead of ranking the
 *   tens of thousands of names that start with "m");
 * - `words`: every word of the query (the `MAX_QUERY_WORDS` longest) is like a word of the name:
 *   word similarity at least 0.6 (`<%`: typos at the ends, a missing ending, a prefix as typed)
 *   or, with several words, strict word similarity at least 0.5 (`<<%`: a typo in the middle);
 *   one- and two-letter words by prefix. The words' conditions are ANDed inside one GIN scan, so
 *   that "Zhanbolat Mamay" reads the few names that have both, not every Zhanbolat;
 * - `fuzzy`, when `words` finds no one (among the persons the reader may see that meet the
 *   filters): with three words or more, all but one of them (a patronymic the name lacks); with
 *   fewer, the whole key similar (`%`, similarity at least 0.3) or nearly contained (`<%`).
 * The thresholds are pg_trgm's defaults (`pg_trgm.similarity_threshold` 0.3,
 * `word_similarity_threshold` 0.6, `strict_word_similarity_threshold` 0.5), not set per query:
 * a transaction-local setting would not reach the facet counts, which run on another connection.
 *
 * A person's score is that of their best-matching name (0 in `prefix`):
 * - closeness of the keys, in [0, 1]: word similarity of the query in the name, × 0.7 to 0.9 as
 *   the lengths of the keys differ more or less (the shorter name first), + 0.1 when every word
 *   of the query starts a word of the name;
 * - plus 1 when the query is the name itself (case-insensitive), or plus 0.5 when it is a whole
 *   word or run of words of the name as spelled, so that the exact spelling ranks first.
 * The score is rounded to 4 decimals (numeric), so that a cursor carries it exactly.
 */
export interface NameQuery {
  /** The query as typed, trimmed, spaces collapsed. */
  raw: string;
  /** Its search key ('' when it has no letters or digits: nothing matches). */
  key: string;
}

export type NameSearchLevel = 'prefix' | 'words' | 'fuzzy';

/** Words this short are matched by word prefix, not trigrams. */
const SHORT_WORD_LENGTH = 2;

/** How many words of the query (the longest) the `words` level requires. */
export const MAX_QUERY_WORDS = 6;

/** The search `q` asks for, or null when it asks for none (absent or blank). */
export function parseNameQuery(q: string | null | undefined): NameQuery | null {
  const raw = (q ?? '').normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (raw === '') return null;
  return { raw, key: queryKey(raw) };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const KEY = 'search_name.searchKey';

interface SqlPart {
  sql: string;
  params: Record<string, unknown>;
}

/** The words of the query's key. */
const wordsOf = (query: NameQuery) => (query.key === '' ? [] : query.key.split(' '));

/** Names with a word that starts with `word` (`LIKE`, escaped; the index answers it). */
function wordPrefix(word: string, i: string): SqlPart {
  return {
    sql: `(${KEY} LIKE :personSearchPrefix${i} OR ${KEY} LIKE :personSearchWordPrefix${i})`,
    params: {
      [`personSearchPrefix${i}`]: `${escapeLike(word)}%`,
      [`personSearchWordPrefix${i}`]: `% ${escapeLike(word)}%`,
    },
  };
}

/** Which names match `query` at `level` (SQL on `search_name`). */
function matchCondition(query: NameQuery, level: NameSearchLevel): SqlPart {
  const words = wordsOf(query);
  if (words.length === 0) return { sql: 'FALSE', params: {} };
  if (level === 'fuzzy') {
    const whole: SqlPart = {
      sql: `(${KEY} % :personSearchKey OR :personSearchKey <% ${KEY})`,
      params: { personSearchKey: query.key },
    };
    const required = longest(words);
    if (required.length < 3) return whole;
    // Three words or more: all but one of them (a patronymic or second surname the name lacks).
    const parts = required.map((_, skip) =>
      wordsCondition(
        required.filter((__, i) => i !== skip),
        `${skip}_`,
      ),
    );
    return {
      sql: `(${parts.map((p) => p.sql).join(' OR ')})`,
      params: Object.assign({}, ...parts.map((p) => p.params)),
    };
  }
  if (level === 'prefix') return wordsCondition(words, '');
  return wordsCondition(longest(words), '');
}

/** The longest `MAX_QUERY_WORDS` words. */
const longest = (words: string[]) => [...words].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS);

/** Names with a word like each of `words` (see `NameQuery`); `tag` keeps parameter names apart. */
function wordsCondition(words: string[], tag: string): SqlPart {
  const parts = words.map((word, j): SqlPart => {
    const i = `${tag}${j}`;
    if (word.length <= SHORT_WORD_LENGTH) return wordPrefix(word, i);
    // Strict word similarity lets a typo in the middle of a word through ("janbulat" for
    // "janbolat"); alone it would also let in every name with a word of three common trigrams.
    const strict = words.length > 1 ? ` OR :personSearchWord${i} <<% ${KEY}` : '';
    return { sql: `(:personSearchWord${i} <% ${KEY}${strict})`, params: { [`personSearchWord${i}`]: word } };
  });
  return { sql: parts.map((p) => p.sql).join(' AND '), params: Object.assign({}, ...parts.map((p) => p.params)) };
}

/** The best-matching name of each person with a name that meets `match`: `person_id`, `score`. */
function scoredNames(qb: SelectQueryBuilder<PersonEntity>, query: NameQuery, match: SqlPart): SqlPart {
  const fuzzy = `word_similarity(:personSearchKey, ${KEY})
        * (0.7 + 0.2 * least(length(${KEY}), :personSearchKeyLength) / greatest(length(${KEY}), :personSearchKeyLength))
      + CASE WHEN ' ' || ${KEY} LIKE ALL (CAST(:personSearchStarts AS text[])) THEN 0.1 ELSE 0 END`;
  const exact = `CASE
      WHEN lower(search_name.value) = lower(:personSearchRaw) THEN 1
      WHEN strpos(' ' || lower(search_name.value) || ' ', ' ' || lower(:personSearchRaw) || ' ') > 0 THEN 0.5
      ELSE 0 END`;
  const sql = qb
    .subQuery()
    .select('search_name.personId', 'person_id')
    .addSelect(`round(CAST(max(${fuzzy} + ${exact}) AS numeric), 4)`, 'score')
    .from(PersonNameEntity, 'search_name')
    .where(match.sql)
    .groupBy('search_name.personId')
    .getQuery();
  return {
    sql,
    params: {
      ...match.params,
      personSearchKey: query.key,
      personSearchKeyLength: Math.max(query.key.length, 1),
      personSearchRaw: query.raw,
      personSearchStarts: wordsOf(query).map((w) => `% ${escapeLike(w)}%`),
    },
  };
}

/** A name search applied to a query builder of persons. */
export interface NameSearch {
  level: NameSearchLevel;
  /** The page asked for, best first: score descending, then `seq` (`prefix`: by `seq`). */
  page(): Promise<Page<PersonEntity & { searchScore: number }>>;
}

const allShort = (query: NameQuery) => {
  const words = wordsOf(query);
  return words.length > 0 && words.every((w) => w.length <= SHORT_WORD_LENGTH);
};

/** Narrows `qb` to the persons with a name that matches `query` at `level` (see `NameQuery`). */
function narrow(qb: SelectQueryBuilder<PersonEntity>, query: NameQuery, level: NameSearchLevel): void {
  const match = matchCondition(query, level);
  if (level === 'prefix') {
    const names = qb
      .subQuery()
      .select('1')
      .from(PersonNameEntity, 'search_name')
      .where('search_name.personId = person.id')
      .andWhere(match.sql)
      .getQuery();
    qb.andWhere(`EXISTS ${names}`, match.params);
  } else {
    const { sql, params } = scoredNames(qb, query, match);
    qb.innerJoin(sql, 'person_search', 'person_search.person_id = person.id').setParameters(params);
  }
}

/**
 * Narrows `qb` (persons aliased `person`, with the reader's visibility and the filters already
 * applied, e.g. by `applyPersonFilters`) to the persons found by `query`, joining their score as
 * `person_search.score`, and tells how to read `page` of them. The visibility and filters apply
 * to the persons, so a person the reader may not see is neither found nor counted, nor decides
 * the level. On a first page the level is the `words` level when it finds anyone, else `fuzzy`
 * (that first query is the page itself, not run twice); the cursor of the next pages carries it
 * (a cursor of another list is refused). When this returns, `qb` selects every person found (all
 * pages): clone it to count them before calling `page()`, which adds the page's conditions.
 */
export async function applyNameSearch(
  qb: SelectQueryBuilder<PersonEntity>,
  query: NameQuery,
  page: { limit?: number; cursor?: string } = {},
): Promise<NameSearch> {
  const cursor = page.cursor ? decodeSearchCursor(page.cursor) : undefined;
  let level: NameSearchLevel = allShort(query) ? 'prefix' : (cursor?.level ?? 'words');
  if (cursor && cursor.level !== level)
    throw InvalidInputError.field('cursor', 'is not a cursor returned by this list');
  if (level === 'words' && !cursor) {
    const words = qb.clone();
    narrow(words, query, 'words');
    const first = await paginateSearch(words, 'words', page);
    if (first.items.length > 0) {
      narrow(qb, query, 'words');
      return { level, page: () => Promise.resolve(first) };
    }
    level = 'fuzzy';
  }
  narrow(qb, query, level);
  const chosen = level;
  return { level, page: () => paginateSearch(qb, chosen, page) };
}

const LEVEL_CODES: Record<NameSearchLevel, string> = { prefix: 'p', words: 'w', fuzzy: 'f' };

function decodeSearchCursor(cursor: string): { level: NameSearchLevel; score: string; seq: string } {
  const [code, score, seq] = decodeCursor(cursor, 3);
  const level = (Object.keys(LEVEL_CODES) as NameSearchLevel[]).find((l) => LEVEL_CODES[l] === code);
  if (
    !level ||
    typeof score !== 'string' ||
    typeof seq !== 'string' ||
    !/^\d+(\.\d+)?$/.test(score) ||
    !/^\d+$/.test(seq)
  ) {
    throw InvalidInputError.field('cursor', 'is not a cursor returned by this list');
  }
  return { level, score, seq };
}

async function paginateSearch(
  qb: SelectQueryBuilder<PersonEntity>,
  level: NameSearchLevel,
  page: { limit?: number; cursor?: string },
): Promise<Page<PersonEntity & { searchScore: number }>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const scored = level !== 'prefix';
  const cursor = page.cursor ? decodeSearchCursor(page.cursor) : undefined;
  if (scored) {
    qb.addSelect('person_search.score', 'person_search_score').orderBy('person_search.score', 'DESC');
    if (cursor) {
      qb.andWhere(
        '(person_search.score < CAST(:personSearchCursorScore AS numeric) OR (person_search.score = CAST(:personSearchCursorScore AS numeric) AND person.seq > CAST(:personSearchCursorSeq AS bigint)))',
        { personSearchCursorScore: cursor.score, personSearchCursorSeq: cursor.seq },
      );
    }
    qb.addOrderBy('person.seq', 'ASC');
  } else {
    qb.orderBy('person.seq', 'ASC');
    if (cursor)
      qb.andWhere('person.seq > CAST(:personSearchCursorSeq AS bigint)', { personSearchCursorSeq: cursor.seq });
  }
  const { entities, raw } = await qb
    .limit(limit + 1)
    .getRawAndEntities<{ person_id: string; person_search_score?: string }>();
  const scores = new Map(raw.map((row) => [row.person_id, row.person_search_score ?? '0']));
  const rows = entities.map((person) => ({ person, score: scores.get(person.id) ?? '0' }));
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(({ person, score }) => Object.assign(person, { searchScore: Number(score) })),
    nextCursor: rows.length > limit && last ? encodeCursor([LEVEL_CODES[level], last.score, last.person.seq]) : null,
  };
}

/**
 * Persons whose names match `name` in any spelling (see `nameKey`), best first: the live persons
 * `reader` may see, with the score of their best-matching name (see `NameQuery`: 0 to 2, where 1
 * is "same key", above 1 the same spelling). For duplicate checks: `minScore` (default 0) drops
 * weaker matches, `limit` (default 10, at most 100) caps the answer. Runs on `manager`, so inside
 * the caller's transaction when it has one.
 */
export async function findPersonsByName(
  manager: EntityManager,
  name: string,
  reader: Actor,
  options?: { limit?: number; minScore?: number },
): Promise<Array<{ personId: string; score: number }>> {
  const query = parseNameQuery(name);
  if (!query || query.key === '') return [];
  const limit = Math.min(Math.max(Math.trunc(options?.limit ?? 10), 1), 100);
  // The levels of the list, the first that finds someone: spelling variants and typos of every
  // word first, then names with more typos or with words missing or added.
  for (const level of allShort(query) ? (['words'] as const) : (['words', 'fuzzy'] as const)) {
    const found = await scoredPersons(manager, query, reader, level, limit, options?.minScore);
    if (found.length > 0 || level === 'fuzzy') return found;
  }
  return [];
}

async function scoredPersons(
  manager: EntityManager,
  query: NameQuery,
  reader: Actor,
  level: 'words' | 'fuzzy',
  limit: number,
  minScore: number | undefined,
): Promise<Array<{ personId: string; score: number }>> {
  const qb = applyPersonFilters(manager.createQueryBuilder(PersonEntity, 'person'), {}, reader);
  const { sql, params } = scoredNames(qb, query, matchCondition(query, level));
  qb.innerJoin(sql, 'person_search', 'person_search.person_id = person.id').setParameters(params);
  if (minScore !== undefined) {
    qb.andWhere('person_search.score >= :personSearchMinScore', { personSearchMinScore: minScore });
  }
  const rows = await qb
    .select('person.id', 'id')
    .addSelect('person_search.score', 'score')
    .orderBy('person_search.score', 'DESC')
    .addOrderBy('person.seq', 'ASC')
    .limit(limit)
    .getRawMany<{ id: string; score: string }>();
  return rows.map((row) => ({ personId: row.id, score: Number(row.score) }));
}
