import { type Actor, DEFAULT_PAGE_SIZE, InvalidInputError, type Page } from '#common';
import { decodeCursor, encodeCursor } from '#database';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { queryKey } from './name-key.js';
import { applyPersonFilters } from './person-filter.js';
import { PersonEntity, PersonNameEntity } from './person.entity.js';

/**
 * Search by name, on `person_names.search_key` (see `nameKey`: words folded across scripts and
 * transliterations, sorted) and two GIN indexes: one on each key's words
 * (`person_names_search_words`, `string_to_array(search_key, ' ')`) and a trigram one
 * (`person_names_search_key_trgm`, `gin_trgm_ops`). The spellings of a query word that names have
 * are looked up in `name_words` (every word of every key, kept by a trigger; see the migration
 * `NameWords`), a few thousand words, and the names that have one of them for each query word are
 * read through the words index (`&&`): a handful of index entries per word, however common it is.
 *
 * Which names match depends on the query, in three levels:
 * - `prefix`, when every word of the query has one or two letters (too few to rank by): names
 *   with a word starting with each of them (`LIKE 'm%' OR LIKE '% m%'`, escaped), in list order
 *   (by `seq`: the persons are probed in order until the page is full, instead of ranking the
 *   tens of thousands of names that start with "m");
 * - `words`: every word of the query (the `MAX_QUERY_WORDS` longest) is like a word of the name:
 *   the same folded word or its beginning, or, for words of four letters or more, a word with
 *   another ending or with at most one typo (a letter added, dropped or replaced), two if the word
 *   is longer than five letters (see `lookUpSpellings`);
 * - `partial`, for a query of two words when `words` finds no one and at least one of them has
 *   spellings: names with one of those spellings (through the words index) whose whole key is
 *   similar to the query's as in `fuzzy` (a typo that folding makes three edits or more, such as
 *   "Yrelan" for "Yerlan": `irelan` against `jerlan`). The similarity is only checked on those
 *   names, not looked up in the trigram index, which would hand thousands of candidates to check;
 * - `fuzzy`, when the levels before find no one: with three words or more, all but one of them
 *   as in `words` (a patronymic the name lacks); with fewer, the whole key similar (`%`,
 *   similarity at least 0.3) or nearly contained (`<%`), through the trigram index (words run
 *   together or split).
 * A level is reached only when the levels before find no one among the persons the reader may see
 * that meet the filters. The trigram thresholds are pg_trgm's defaults
 * (`pg_trgm.similarity_threshold` 0.3, `word_similarity_threshold` 0.6), not set per query: a
 * transaction-local setting would not reach the facet counts, which run on another connection.
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

export type NameSearchLevel = 'prefix' | 'words' | 'partial' | 'fuzzy';

/** Words this short are matched by word prefix only. */
const SHORT_WORD_LENGTH = 2;

/** How many words of the query (the longest) the `words` level requires. */
export const MAX_QUERY_WORDS = 6;

/** The typos (edits) a query word of `length` letters may have. */
export const typosAllowed = (length: number) => (length >= 6 ? 2 : length >= 4 ? 1 : 0);

/** The search `q` asks for, or null when it asks for none (absent or blank). */
export function parseNameQuery(q: string | null | undefined): NameQuery | null {
  const raw = (q ?? '').normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (raw === '') return null;
  return { raw, key: queryKey(raw) };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const KEY = 'search_name.searchKey';
const WORDS = `string_to_array(${KEY}, ' ')`;

interface SqlPart {
  sql: string;
  params: Record<string, unknown>;
  /** Found through the trigram index: hundreds to thousands of names (`fuzzy` with few words). */
  viaTrigrams?: boolean;
}

/** The words of the query's key. */
const wordsOf = (query: NameQuery) => (query.key === '' ? [] : query.key.split(' '));

/** Names with a word that starts with `word` (`LIKE` on the whole key; for `prefix`). */
function wordPrefix(word: string, i: string): SqlPart {
  return {
    sql: `(${KEY} LIKE :personSearchPrefix${i} OR ${KEY} LIKE :personSearchWordPrefix${i})`,
    params: {
      [`personSearchPrefix${i}`]: `${escapeLike(word)}%`,
      [`personSearchWordPrefix${i}`]: `% ${escapeLike(word)}%`,
    },
  };
}

/** The `name_words` each required word of a query may stand for (see `lookUpSpellings`), in order. */
type Spellings = string[][];

/**
 * Which names match `query` at `level` (SQL on `search_name`); `spellings` are those of the
 * query's `longest` words (unused by `prefix`).
 */
function matchCondition(query: NameQuery, level: NameSearchLevel, spellings: Spellings): SqlPart {
  const words = wordsOf(query);
  if (words.length === 0) return { sql: 'FALSE', params: {} };
  if (level === 'prefix') return allOf(words.map((word, i) => wordPrefix(word, `${i}`)));
  if (level === 'words') return wordsCondition(spellings, '');
  if (level === 'partial') {
    // `|| ''` keeps the planner from the trigram index: the words index finds the candidates.
    return {
      sql: `(${WORDS} && CAST(:personSearchAnySpelling AS text[]) AND (${similar(`(${KEY} || '')`)}))`,
      params: { personSearchKey: query.key, personSearchAnySpelling: [...new Set(spellings.flat())] },
    };
  }
  if (spellings.length < 3) return { sql: similar(KEY), params: { personSearchKey: query.key }, viaTrigrams: true };
  // Three words or more: all but one of them (a patronymic or second surname the name lacks).
  const parts = spellings.map((_, skip) =>
    wordsCondition(
      spellings.filter((__, i) => i !== skip),
      `${skip}_`,
    ),
  );
  return {
    sql: `(${parts.map((p) => p.sql).join(' OR ')})`,
    params: Object.assign({}, ...parts.map((p) => p.params)),
  };
}

/** Whole keys similar to the query's (`%`) or nearly containing it (`<%`). */
const similar = (key: string) => `${key} % :personSearchKey OR :personSearchKey <% ${key}`;

const allOf = (parts: SqlPart[]): SqlPart => ({
  sql: `(${parts.map((p) => p.sql).join(' AND ')})`,
  params: Object.assign({}, ...parts.map((p) => p.params)),
});

/** The longest `MAX_QUERY_WORDS` words. */
const longest = (words: string[]) => [...words].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS);

/**
 * Names with, for each word, one of its spellings: one `&&` condition per word on the words
 * index, with the spellings as constants (so that the planner sees how few they are); `tag`
 * keeps parameter names apart.
 */
function wordsCondition(spellings: Spellings, tag: string): SqlPart {
  return allOf(
    spellings.map((words, j) => ({
      sql: `${WORDS} && CAST(:personSearchSpellings${tag}${j} AS text[])`,
      params: { [`personSearchSpellings${tag}${j}`]: words },
    })),
  );
}

/**
 * `name_words` whose `word` starts with `prefix` (SQL): a range of the "C"-collated primary key,
 * read from the index.
 */
const startsWith = (prefix: string) => `(word >= ${prefix} AND word < ${prefix} || U&'\\+10FFFF')`;

/**
 * The spellings in `name_words` of each of `words` (see `NameQuery`), in one statement run by
 * `builder` (a new query builder on the caller's connection or transaction), one branch per word
 * with its values as constants: the words that start with it (a range of the "C"-collated
 * primary key) and, unless it is shorter than four letters, the words that start with all of it
 * but its last letter (another ending) and the words at most `typosAllowed` edits away
 * (`levenshtein_less_equal`). The edits are counted over candidates
 * read from indexes, so that the lookup stays short however large the vocabulary grows: one
 * edit leaves the first two letters or the last two of a word of four letters or more as they
 * were (a range of the key, a `LIKE '%ab'` through the trigram index); two edits in a longer word
 * are looked for among the words with trigrams in common (`%`). Two edits in the middle of a word
 * can leave too few of those ("janbulot" and "janbolat" share 4 trigrams of 14), so the words with
 * the same first or last two letters are candidates for two edits too (two edits leave one of
 * those unless there is one at each end, and then `%` finds the middle). Always: whether a stored
 * word is one edit away must not decide it, since `name_words` holds restricted persons' words
 * too, and what they are must not change what a reader without clearance finds.
 */
async function lookUpSpellings(builder: SelectQueryBuilder<object>, words: string[]): Promise<Spellings> {
  if (words.length === 0) return [];
  const params: Record<string, unknown> = {};
  const branches = words.map((word, i) => {
    params[`spellingWord${i}`] = word;
    const w = `CAST(:spellingWord${i} AS text)`;
    const edits = typosAllowed(word.length);
    if (edits === 0) return `SELECT ${i + 1} AS i, word FROM name_words WHERE ${startsWith(w)}`;
    // Another ending: "mamai" for "Mamayev" (key "mamaev").
    params[`spellingStem${i}`] = word.slice(0, -1);
    params[`spellingStart${i}`] = word.slice(0, 2);
    params[`spellingEnd${i}`] = `%${escapeLike(word.slice(-2))}`;
    const sameStartOrEnd = `(${startsWith(`CAST(:spellingStart${i} AS text)`)} OR word LIKE :spellingEnd${i})`;
    const within = (candidates: string, n: number) =>
      `(${candidates} AND length(word) BETWEEN ${word.length - n} AND ${word.length + n}
        AND levenshtein_less_equal(${w}, word, ${n}) <= ${n})`;
    const begun = `${startsWith(w)} OR ${startsWith(`CAST(:spellingStem${i} AS text)`)}`;
    if (edits === 1) return `SELECT ${i + 1} AS i, word FROM name_words WHERE ${begun} OR ${within(sameStartOrEnd, 1)}`;
    // The words with the same start or end, but not those the first part found already.
    return `SELECT ${i + 1} AS i, word FROM name_words WHERE ${begun} OR ${within(`word % ${w}`, 2)}
      UNION ALL
      SELECT ${i + 1} AS i, word FROM name_words
       WHERE ${within(sameStartOrEnd, 2)} AND NOT word % ${w}`;
  });
  const rows = await builder
    .select('spelling.i', 'i')
    .addSelect('array_agg(spelling.word ORDER BY spelling.word)', 'spellings')
    .from(`(${branches.join(' UNION ALL ')})`, 'spelling')
    .groupBy('spelling.i')
    .setParameters(params)
    .getRawMany<{ i: number; spellings: string[] }>();
  const found = new Map(rows.map((r) => [Number(r.i), r.spellings]));
  return words.map((_, i) => found.get(i + 1) ?? []);
}

/**
 * The spellings in `name_words` that begin with each of the words of each of `queries` (the
 * same folded word or a longer one; no typos), for any number of queries in one statement: each
 * distinct word is a range of the "C"-collated primary key.
 */
async function spellingsBeginningWith(manager: EntityManager, queries: string[][]): Promise<Spellings[]> {
  const words = [...new Set(queries.flat())];
  const rows =
    words.length === 0
      ? []
      : await manager.query<Array<{ word: string; spellings: string[] }>>(
          `SELECT q.query_word AS word, array_agg(word ORDER BY word) AS spellings
             FROM unnest(CAST($1 AS text[])) AS q(query_word)
             JOIN name_words ON ${startsWith('q.query_word')}
            GROUP BY q.query_word`,
          [words],
        );
  const found = new Map(rows.map((r) => [r.word, r.spellings]));
  return queries.map((query) => query.map((word) => found.get(word) ?? []));
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

/**
 * Narrows `qb` to the persons with a name that matches `query` at `level` (see `NameQuery`),
 * with the `spellings` of that level.
 */
function narrow(
  qb: SelectQueryBuilder<PersonEntity>,
  query: NameQuery,
  level: NameSearchLevel,
  spellings: Spellings,
): void {
  const match = matchCondition(query, level, spellings);
  if (level === 'prefix') {
    const names = qb
      .subQuery()
      .select('1')
      .from(PersonNameEntity, 'search_name')
      .where('search_name.personId = person.id')
      .andWhere(match.sql)
      .getQuery();
    qb.andWhere(`EXISTS ${names}`, match.params);
    return;
  }
  const { sql, params } = scoredNames(qb, query, match);
  if (match.viaTrigrams) {
    // PostgreSQL expects still more persons than the trigram index finds: joined as a subquery,
    // it hashed all of `persons` (a Seq Scan). Materialized, they are joined by primary key.
    qb.addCommonTableExpression(sql, 'person_search', { materialized: true }).innerJoin(
      'person_search',
      'person_search',
      'person_search.person_id = person.id',
    );
  } else {
    qb.innerJoin(sql, 'person_search', 'person_search.person_id = person.id');
  }
  qb.setParameters(params);
}

/**
 * The spellings of `query`'s words (none for `prefix`, which does not use them), looked up on
 * the connection of `qb`, so inside its transaction when it has one.
 */
function spellingsFor(
  qb: SelectQueryBuilder<PersonEntity>,
  query: NameQuery,
  level: NameSearchLevel,
): Promise<Spellings> {
  if (level === 'prefix') return Promise.resolve([]);
  return lookUpSpellings(qb.createQueryBuilder(), longest(wordsOf(query)));
}

/** Whether every word has a spelling (else the level finds no one, without asking). */
const everyWordSpelled = (spellings: Spellings) => spellings.length > 0 && spellings.every((s) => s.length > 0);

/** Whether `partial` applies: two words, at least one with a spelling. */
const partlySpelled = (spellings: Spellings) => spellings.length === 2 && spellings.some((s) => s.length > 0);

/**
 * Narrows `qb` (persons aliased `person`, with the reader's visibility and the filters already
 * applied, e.g. by `applyPersonFilters`) to the persons found by `query`, joining their score as
 * `person_search.score`, and tells how to read `page` of them. The visibility and filters apply
 * to the persons, so a person the reader may not see is neither found nor counted, nor decides
 * the level. On a first page the level is the first of `words`, `partial` and `fuzzy` that finds
 * anyone (a level's query is the page itself, not run twice; `words` is not run when a word has no
 * spelling in `name_words` at all, `partial` only as it says); the cursor of the next pages
 * carries it (a cursor of another list is refused). When this returns, `qb` selects every person found (all pages): clone it to
 * count them before calling `page()`, which adds the page's conditions.
 */
export async function applyNameSearch(
  qb: SelectQueryBuilder<PersonEntity>,
  query: NameQuery,
  page: { limit?: number; cursor?: string } = {},
): Promise<NameSearch> {
  const cursor = page.cursor ? decodeSearchCursor(page.cursor) : undefined;
  const short = allShort(query);
  if (cursor && (cursor.level === 'prefix') !== short) {
    throw InvalidInputError.field('cursor', 'is not a cursor returned by this list');
  }
  if (!short && !cursor) {
    const spellings = await spellingsFor(qb, query, 'words');
    const levels: NameSearchLevel[] = [];
    if (everyWordSpelled(spellings)) levels.push('words');
    if (partlySpelled(spellings)) levels.push('partial');
    for (const level of levels) {
      const attempt = qb.clone();
      narrow(attempt, query, level, spellings);
      const first = await paginateSearch(attempt, level, page);
      if (first.items.length > 0) {
        narrow(qb, query, level, spellings);
        return { level, page: () => Promise.resolve(first) };
      }
    }
    narrow(qb, query, 'fuzzy', spellings);
    return { level: 'fuzzy', page: () => paginateSearch(qb, 'fuzzy', page) };
  }
  const level: NameSearchLevel = short ? 'prefix' : cursor!.level;
  narrow(qb, query, level, await spellingsFor(qb, query, level));
  return { level, page: () => paginateSearch(qb, level, page) };
}

const LEVEL_CODES: Record<NameSearchLevel, string> = { prefix: 'p', words: 'w', partial: 'h', fuzzy: 'f' };

function decodeSearchCursor(cursor: string): { level: NameSearchLevel; score: string; seq: string } {
  // The level code, the score (numeric, 4 decimals) and the person's seq (int8): each checked, so
  // that a cursor of another list or a tampered one is refused here, not by the database.
  const [code, score, seq] = decodeCursor(cursor, ['text', 'numeric', 'bigint']);
  const level = (Object.keys(LEVEL_CODES) as NameSearchLevel[]).find((l) => LEVEL_CODES[l] === code);
  if (
    !level ||
    typeof score !== 'string' ||
    typeof seq !== 'string' ||
    !/^\d{1,15}(\.\d{1,4})?$/.test(score) ||
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

/** A person found by `findPersonsByNames`, with the score of their best-matching name. */
export interface NameMatch {
  personId: string;
  score: number;
}

/**
 * Persons whose names match `name` in any spelling (see `nameKey`), best first: the live persons
 * `reader` may see, with the score of their best-matching name (see `NameQuery`: 0 to 2, where 1
 * is "same key", above 1 the same spelling). For duplicate checks: `minScore` (default 0) drops
 * weaker matches, `limit` (default 10, at most 100) caps the answer, and `typos: false` leaves
 * typos out (each word of `name` must be a word of the name as folded, or begin one; with three
 * words or more, all but one of them), so that a name no one has costs one short lookup in the
 * words' index instead of a search among similar words. Runs on `manager`, so inside the
 * caller's transaction when it has one.
 */
export async function findPersonsByName(
  manager: EntityManager,
  name: string,
  reader: Actor,
  options?: { limit?: number; minScore?: number; typos?: boolean },
): Promise<NameMatch[]> {
  return (await findPersonsByNames(manager, [name], reader, options)).get(name)!;
}

/**
 * `findPersonsByName` for each of `names` (every one is a key of the answer), `concurrency`
 * (default 1) searches at a time. Without typos, the spellings of all the names' words are looked
 * up in one statement first, and a name that cannot match costs nothing more (one or two words,
 * one of which no stored word begins with; three or more, two such words): checking a file of new
 * names is one statement per batch of names, not one per name.
 */
export async function findPersonsByNames(
  manager: EntityManager,
  names: Iterable<string>,
  reader: Actor,
  options?: { limit?: number; minScore?: number; typos?: boolean; concurrency?: number },
): Promise<Map<string, NameMatch[]>> {
  const found = new Map<string, NameMatch[]>();
  const queries: Array<{ query: NameQuery; words: string[]; name: string }> = [];
  for (const name of names) {
    if (found.has(name)) continue;
    found.set(name, []);
    const query = parseNameQuery(name);
    if (query && query.key !== '') queries.push({ name, query, words: longest(wordsOf(query)) });
  }
  const limit = Math.min(Math.max(Math.trunc(options?.limit ?? 10), 1), 100);
  const typos = options?.typos !== false;
  const spelled = typos
    ? undefined
    : await spellingsBeginningWith(
        manager,
        queries.map((q) => q.words),
      );
  let next = 0;
  const work = async () => {
    while (next < queries.length) {
      const i = next++;
      const { name, query, words } = queries[i]!;
      const spellings = spelled ? spelled[i]! : await lookUpSpellings(manager.createQueryBuilder(), words);
      // The levels, the first that finds someone: every word as spelled, begun or with typos,
      // then one word of two so and the whole name similar, then names with words missing,
      // added, run together or split.
      const levels: NameSearchLevel[] = everyWordSpelled(spellings) ? ['words'] : [];
      if (typos && partlySpelled(spellings)) levels.push('partial');
      // With three words or more, `fuzzy` asks for all but one of them as in `words`.
      const fuzzy = spellings.length >= 3 ? spellings.filter((s) => s.length === 0).length <= 1 : typos;
      if (!allShort(query) && fuzzy) levels.push('fuzzy');
      for (const level of levels) {
        const matches = await scoredPersons(manager, query, reader, matchCondition(query, level, spellings), {
          limit,
          minScore: options?.minScore,
        });
        if (matches.length > 0) {
          found.set(name, matches);
          break;
        }
      }
    }
  };
  const concurrency = Math.max(Math.trunc(options?.concurrency ?? 1), 1);
  await Promise.all(Array.from({ length: Math.min(concurrency, queries.length) }, work));
  return found;
}

async function scoredPersons(
  manager: EntityManager,
  query: NameQuery,
  reader: Actor,
  match: SqlPart,
  { limit, minScore }: { limit: number; minScore: number | undefined },
): Promise<NameMatch[]> {
  const qb = applyPersonFilters(manager.createQueryBuilder(PersonEntity, 'person'), {}, reader);
  const { sql, params } = scoredNames(qb, query, match);
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
