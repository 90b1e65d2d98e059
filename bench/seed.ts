/**
 * `npm run bench:seed`: a realistic data set for `npm run bench:api`, in minutes. By default
 * 100,000 persons (BENCH_SEED_PERSONS; every other count scales with it): 2-4 names each (Latin,
 * Kazakh and Russian Cyrillic, another transliteration: English, Dutch, German or Kazakh Latin),
 * 300,000 custody events, 150,000 cases with their defendants, lawyers and witnesses, charges
 * under articles of the Kazakh criminal code, 1,000,000 hearings from 2022 to 2027 (most in
 * Asia/Almaty, some in other zones), 40 mass events and 500 sources cited by some records.
 * Countries mostly KZ; visibilities mostly public, some internal and about 2% restricted.
 *
 * The database is DATABASE_URL when set (migrated here if needed; it must have no persons yet),
 * else `case_tracker_bench` on DATABASE_ADMIN_URL's server, dropped and created afresh and kept
 * afterwards (it is what `npm run bench:api` measures; it is dropped only if seeding fails).
 *
 * How: the rows are generated in this process (deterministic, seeded PRNG: BENCH_SEED) and
 * streamed with COPY, several tables at once, into tables whose indexes, primary keys and foreign
 * keys were taken off first and are put back afterwards exactly as the migrations defined them
 * (read back from the catalogue). `person_names.search_key` is `nameKey` of the name, computed
 * here; the persons' current custody status columns are computed with `currentStatuses`, the rule
 * of the write path, and then checked against the migration's backfill SQL
 * (`LATEST_CUSTODY_STATUSES_SQL`); any difference would be corrected with that SQL and reported.
 * The persons' rows are written after the cases, with the stages of their cases as a defendant
 * (computed here), checked likewise against `DEFENDANT_STAGE_BITS_SQL`. Then `VACUUM (ANALYZE)`. No
 * audit entries are written (seeded data is not an edit by anyone): `audit_log` stays empty, so
 * `npm run audit:verify` passes. No user is created: `bench:api` starts the API with
 * ADMIN_EMAIL/ADMIN_PASSWORD, which creates the first admin while there are no users.
 *
 * Environment: BENCH_SEED_PERSONS (100000), BENCH_SEED (1), DATABASE_URL, DATABASE_ADMIN_URL
 * (postgres://postgres@127.0.0.1:5432/postgres).
 */
import 'reflect-metadata';
import { CASE_STAGES, type CaseStage, type CustodyStatus, currentStatuses, nameKey } from '#case-files';
import { type DatePrecision, type PartialDate, partialDateSortKey, type Visibility } from '#common';
import { AppConfig, validateEnvironment } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { MIGRATIONS } from '#migrations';
import { DateTime } from 'luxon';
import { once } from 'node:events';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import {
  BACKFILL_CURRENT_STATUSES_SQL,
  LATEST_CUSTODY_STATUSES_SQL,
} from '../migrations/1795260000001-CurrentCustodyStatus.js';
import {
  BACKFILL_DEFENDANT_STAGE_BITS_SQL,
  DEFENDANT_STAGE_BITS_SQL,
  STAGE_BIT_ORDER,
} from '../migrations/1795260000005-DefendantStageBits.js';
import {
  FAMILY,
  FEMALE_GIVEN,
  feminine,
  type Habit,
  MALE_GIVEN,
  type NamePart,
  patronymic,
  russianSpelling,
  transliterate,
} from './api-names.js';

export const BENCH_DATABASE = 'case_tracker_bench';

const PERSONS = Number(process.env.BENCH_SEED_PERSONS ?? 100_000);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const GIVEN_URL = process.env.DATABASE_URL;

const COUNTS = {
  persons: PERSONS,
  cases: Math.round(PERSONS * 1.5),
  hearings: PERSONS * 10,
  custodyEvents: PERSONS * 3,
  events: Math.max(5, Math.round(PERSONS / 2500)),
  sources: Math.max(20, Math.round(PERSONS / 200)),
};

/** The tables written here; their keys and indexes are taken off while they load. */
const TABLES = [
  'sources',
  'events',
  'persons',
  'person_names',
  'person_sources',
  'custody_events',
  'custody_event_sources',
  'cases',
  'case_participants',
  'case_charges',
  'case_sources',
  'hearings',
];

// ---------------------------------------------------------------------------------------------
// Randomness

/** sfc32: small, fast, and good enough to vary test data reproducibly. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i += 1) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)]!;
  }

  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A version 4 UUID drawn from this generator (so that runs are reproducible). */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const a = hex(this.u32());
    const b = hex(((this.u32() & 0xffff0fff) | 0x00004000) >>> 0);
    const c = hex(((this.u32() & 0x3fffffff) | 0x80000000) >>> 0);
    const d = hex(this.u32());
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
  }
}

/** `count` integers in [min, max] drawn with `draw`, then nudged one by one until they add up to `total`. */
function exactCounts(rng: Rng, count: number, total: number, min: number, max: number, draw: () => number): Int32Array {
  const counts = new Int32Array(count);
  let sum = 0;
  for (let i = 0; i < count; i += 1) {
    counts[i] = Math.min(max, Math.max(min, draw()));
    sum += counts[i]!;
  }
  while (sum !== total) {
    const i = rng.int(count);
    if (sum < total && counts[i]! < max) {
      counts[i]! += 1;
      sum += 1;
    } else if (sum > total && counts[i]! > min) {
      counts[i]! -= 1;
      sum -= 1;
    }
  }
  return counts;
}

/** Weighted choices, as drawn by `Rng.weighted`. */
type Choices<T> = ReadonlyArray<readonly [T, number]>;

// prettier-ignore
const PRECISIONS: Choices<DatePrecision> = [['day', 70], ['month', 17], ['year', 5], ['approximate', 8]];
// prettier-ignore
const NAME_COUNTS = [[2, 25], [3, 45], [4, 30]] as const;
// prettier-ignore
const HABITS: Choices<Habit> = [['en', 30], ['nl', 25], ['de', 25], ['kk2021', 20]];
// prettier-ignore
const CUSTODY_COUNTS = [[0, 5], [1, 10], [2, 22], [3, 28], [4, 20], [5, 10], [6, 5]] as const;
// prettier-ignore
const DEFENDANT_COUNTS = [[1, 62], [2, 23], [3, 9], [4, 4], [5, 2]] as const;
// prettier-ignore
const STAGES_BEFORE = [['investigation', 40], ['awaiting-trial', 60]] as const;
// prettier-ignore
const STAGES_DURING = [['trial', 85], ['appeal', 15]] as const;
// prettier-ignore
const STAGES_AFTER = [['verdict', 35], ['appeal', 20], ['cassation', 5], ['closed', 40]] as const;
// prettier-ignore
const VERDICTS = [['convicted', 82], ['acquitted', 4], ['dismissed', 9], ['other', 5]] as const;
// prettier-ignore
const CHARGE_COUNTS = [[1, 50], [2, 35], [3, 15]] as const;
// prettier-ignore
const HEARINGS_PAST = [['held', 78], ['postponed', 12], ['cancelled', 10]] as const;
// prettier-ignore
const HEARINGS_FUTURE = [['scheduled', 88], ['postponed', 8], ['cancelled', 4]] as const;

// ---------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const TODAY = Math.floor(Date.now() / DAY_MS);

/** A partial date for `day` at a precision drawn as in real case files (mostly exact days). */
function partialDate(rng: Rng, day: number): PartialDate {
  const iso = isoDay(day);
  const precision = rng.weighted(PRECISIONS);
  if (precision === 'day') return { date: iso, precision };
  if (precision === 'month') return { date: iso.slice(0, 7), precision };
  if (precision === 'year') return { date: iso.slice(0, 4), precision };
  return { date: rng.chance(0.7) ? iso.slice(0, 7) : iso.slice(0, 4), precision };
}

// ---------------------------------------------------------------------------------------------
// COPY

type Field = string | number | boolean | null | undefined;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(value: Field): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

/** A PostgreSQL array literal of text values. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** Column names, space-separated. */
const cols = (names: string) => names.split(' ');

/** One table's COPY FROM STDIN (text format) on a connection of its own, written in chunks. */
class CopyWriter {
  rows = 0;
  private chunk = '';
  private readonly stream: ReturnType<typeof copyFrom>;

  private constructor(
    private readonly client: pg.Client,
    columns: string[],
    table: string,
  ) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  }

  static async open(url: string, table: string, columns: string[]): Promise<CopyWriter> {
    const client = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
    await client.connect();
    await client.query('SET synchronous_commit = off');
    return new CopyWriter(client, columns, table);
  }

  row(fields: Field[]): void {
    this.chunk += fields.map(copyField).join('\t') + '\n';
    this.rows += 1;
  }

  /** Hands the buffered rows to the stream once there are enough, waiting when PostgreSQL is behind. */
  async flush(force = false): Promise<void> {
    if (!force && this.chunk.length < 256 * 1024) return;
    const chunk = this.chunk;
    this.chunk = '';
    if (chunk !== '' && !this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush(true);
    this.stream.end();
    await finished(this.stream);
    await this.client.end();
  }

  destroy(): void {
    this.stream.destroy();
    void this.client.end().catch(() => undefined);
  }
}

/** Opens one writer per table, runs `write`, and ends them all (or destroys them on failure). */
async function copyTables<K extends string>(
  url: string,
  tables: Record<K, { table: string; columns: string[] }>,
  write: (writers: Record<K, CopyWriter>) => Promise<void>,
): Promise<Record<K, number>> {
  const entries = Object.entries(tables) as Array<[K, { table: string; columns: string[] }]>;
  const opened = await Promise.all(entries.map(([, t]) => CopyWriter.open(url, t.table, t.columns)));
  const writers = Object.fromEntries(entries.map(([k], i) => [k, opened[i]!])) as Record<K, CopyWriter>;
  try {
    await write(writers);
    await Promise.all(opened.map((w) => w.end()));
  } catch (error) {
    for (const w of opened) w.destroy();
    throw error;
  }
  return Object.fromEntries(entries.map(([k], i) => [k, opened[i]!.rows])) as Record<K, number>;
}

// ---------------------------------------------------------------------------------------------
// Keys and indexes off while loading, back on afterwards

interface Definition {
  table: string;
  name: string;
  sql: string;
}

interface Schema {
  /** Primary keys and unique constraints. */
  keys: Definition[];
  /** Other indexes. */
  indexes: Definition[];
  /** Foreign keys from or to the tables. */
  foreignKeys: Definition[];
}

async function takeOffKeysAndIndexes(client: pg.Client): Promise<Schema> {
  const constraints = (
    await client.query<{ table: string; name: string; def: string; type: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def,
              c.contype AS type
         FROM pg_constraint c
        WHERE c.contype IN ('p', 'u', 'f')
          AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))
        ORDER BY c.oid`,
      [TABLES],
    )
  ).rows;
  const indexes = (
    await client.query<{ table: string; name: string; def: string }>(
      `SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name,
              pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY i.indexrelid`,
      [TABLES],
    )
  ).rows;
  const constraint = (c: { table: string; name: string; def: string }) => ({
    table: c.table,
    name: c.name,
    sql: `ALTER TABLE ${c.table} ADD CONSTRAINT ${pg.escapeIdentifier(c.name)} ${c.def}`,
  });
  const schema: Schema = {
    keys: constraints.filter((c) => c.type !== 'f').map(constraint),
    indexes: indexes.map((i) => ({ table: i.table, name: i.name, sql: i.def })),
    foreignKeys: constraints.filter((c) => c.type === 'f').map(constraint),
  };
  await client.query('BEGIN');
  for (const fk of schema.foreignKeys) {
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${pg.escapeIdentifier(fk.name)}`);
  }
  for (const index of schema.indexes) await client.query(`DROP INDEX ${index.name}`);
  for (const key of schema.keys) {
    await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${pg.escapeIdentifier(key.name)}`);
  }
  await client.query('COMMIT');
  return schema;
}

/** Keys and indexes table by table, two tables at a time (two cores); then the foreign keys. */
async function putBackKeysAndIndexes(url: string, schema: Schema): Promise<void> {
  const tables = [...new Set([...schema.keys, ...schema.indexes].map((d) => d.table))];
  const work = tables.map((table) => [
    ...schema.keys.filter((k) => k.table === table),
    ...schema.indexes.filter((i) => i.table === table),
  ]);
  // Largest first, so that the two connections finish at about the same time.
  const order = ['hearings', 'person_names', 'custody_events', 'case_participants', 'case_charges', 'cases', 'persons'];
  work.sort((a, b) => rank(a[0]!.table) - rank(b[0]!.table));
  function rank(table: string) {
    const i = order.indexOf(table);
    return i === -1 ? order.length : i;
  }
  const worker = async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
    await client.connect();
    try {
      await client.query("SET maintenance_work_mem = '1GB'");
      for (let next = work.shift(); next; next = work.shift()) {
        for (const definition of next) await client.query(definition.sql);
      }
    } finally {
      await client.end();
    }
  };
  await Promise.all([worker(), worker()]);
  const client = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
  await client.connect();
  try {
    await client.query("SET maintenance_work_mem = '1GB'");
    for (const fk of schema.foreignKeys) await client.query(fk.sql);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Reference data

// prettier-ignore
const VISIBILITY_PERSON: Choices<Visibility> = [['public', 85], ['internal', 13], ['restricted', 2]];
// prettier-ignore
const VISIBILITY_CASE: Choices<Visibility> = [['public', 88], ['internal', 10], ['restricted', 2]];
// prettier-ignore
const VISIBILITY_EVENT: Choices<Visibility> = [['public', 80], ['internal', 15], ['restricted', 5]];
// prettier-ignore
const VISIBILITY_HEARING: Choices<Visibility> = [['public', 85], ['internal', 12], ['restricted', 3]];

// prettier-ignore
const COUNTRIES: Choices<string> = [['KZ', 900], ['KG', 30], ['UZ', 30], ['RU', 20], ['TJ', 10], ['DE', 5], ['NL', 5]];

interface Court {
  city: string;
  name: string;
  zone: string;
  weight: number;
}

// prettier-ignore
const KZ_COURTS: Court[] = [
  { city: 'Almaty', name: 'Specialised inter-district criminal court of Almaty', zone: 'Asia/Almaty', weight: 30 },
  { city: 'Almaty', name: 'Almaly district court of Almaty', zone: 'Asia/Almaty', weight: 6 },
  { city: 'Astana', name: 'Specialised inter-district criminal court of Astana', zone: 'Asia/Almaty', weight: 12 },
  { city: 'Shymkent', name: 'Specialised inter-district criminal court of Shymkent', zone: 'Asia/Almaty', weight: 8 },
  { city: 'Taraz', name: 'Taraz city court No. 2', zone: 'Asia/Almaty', weight: 5 },
  { city: 'Taldykorgan', name: 'Taldykorgan city court', zone: 'Asia/Almaty', weight: 5 },
  { city: 'Karaganda', name: 'Kazybek Bi district court of Karaganda', zone: 'Asia/Almaty', weight: 5 },
  { city: 'Semey', name: 'Semey city court', zone: 'Asia/Almaty', weight: 2 },
  { city: 'Aktau', name: 'Specialised inter-district criminal court of Mangystau region', zone: 'Asia/Aqtau', weight: 6 },
  { city: 'Zhanaozen', name: 'Zhanaozen city court', zone: 'Asia/Aqtau', weight: 4 },
  { city: 'Aktobe', name: 'Specialised inter-district criminal court of Aktobe region', zone: 'Asia/Aqtobe', weight: 5 },
  { city: 'Uralsk', name: 'Uralsk city court No. 2', zone: 'Asia/Oral', weight: 4 },
  { city: 'Atyrau', name: 'Atyrau city court', zone: 'Asia/Atyrau', weight: 3 },
  { city: 'Kyzylorda', name: 'Kyzylorda city court', zone: 'Asia/Qyzylorda', weight: 3 },
  { city: 'Kostanay', name: 'Kostanay city court No. 2', zone: 'Asia/Qostanay', weight: 3 },
];
// prettier-ignore
const OTHER_COURTS: Record<string, Court[]> = {
  KG: [{ city: 'Bishkek', name: 'Pervomaisky district court of Bishkek', zone: 'Asia/Bishkek', weight: 1 }],
  UZ: [
    { city: 'Tashkent', name: 'Tashkent city criminal court', zone: 'Asia/Tashkent', weight: 2 },
    { city: 'Nukus', name: 'Nukus city criminal court', zone: 'Asia/Samarkand', weight: 1 },
  ],
  RU: [{ city: 'Moscow', name: 'Meshchansky district court of Moscow', zone: 'Europe/Moscow', weight: 1 }],
  TJ: [{ city: 'Dushanbe', name: 'Supreme court of Tajikistan', zone: 'Asia/Dushanbe', weight: 1 }],
};
const KZ_COURT_CHOICES = KZ_COURTS.map((c) => [c, c.weight] as const);

const OCCUPATIONS = [
  'journalist',
  'civic activist',
  'blogger',
  'lawyer',
  'trade unionist',
  'oil worker',
  'imam',
  'opposition politician',
  'teacher',
  'entrepreneur',
  'student',
  'poet',
];

interface Article {
  article: string;
  description: string;
  years: number;
  /** Weight for cases of a mass event, and for other cases. */
  weights: [number, number];
}

// prettier-ignore
const ARTICLES: Article[] = [
  { article: '272-1', description: 'organising mass riots', years: 10, weights: [12, 1] },
  { article: '272-2', description: 'participation in mass riots', years: 8, weights: [40, 2] },
  { article: '272-3', description: 'calls to participate in mass riots', years: 5, weights: [10, 4] },
  { article: '274-4', description: 'dissemination of knowingly false information', years: 7, weights: [3, 16] },
  { article: '174-1', description: 'inciting social, national, clan, racial or religious discord', years: 7, weights: [3, 14] },
  { article: '174-2', description: 'inciting discord by a group or with violence', years: 10, weights: [2, 4] },
  { article: '405-2', description: 'participation in the activity of a banned extremist organisation', years: 6, weights: [2, 16] },
  { article: '256-2', description: 'propaganda of terrorism or public calls to commit terrorism', years: 9, weights: [4, 5] },
  { article: '258-1', description: 'financing extremist or terrorist activity', years: 12, weights: [1, 3] },
  { article: '179-1', description: 'seizure or retention of power by force', years: 20, weights: [3, 1] },
  { article: '293-2', description: 'hooliganism', years: 5, weights: [8, 5] },
  { article: '380-1', description: 'violence against a representative of the authorities', years: 5, weights: [10, 3] },
  { article: '378-1', description: 'insulting a representative of the authorities', years: 1, weights: [2, 6] },
  { article: '373-1', description: 'insulting the First President', years: 3, weights: [1, 4] },
  { article: '400-1', description: 'violating the procedure for organising peaceful assemblies', years: 1, weights: [4, 8] },
  { article: '190-4', description: 'fraud on an especially large scale', years: 10, weights: [0, 6] },
  { article: '189-4', description: 'misappropriation or embezzlement on an especially large scale', years: 10, weights: [0, 4] },
  { article: '366-4', description: 'accepting a bribe on an especially large scale', years: 12, weights: [0, 2] },
  { article: '188-2', description: 'theft during mass riots', years: 7, weights: [8, 0] },
];
const ARTICLES_EVENT = ARTICLES.map((a) => [a, a.weights[0]] as const);
const ARTICLES_OTHER = ARTICLES.map((a) => [a, a.weights[1]] as const);

interface MassEvent {
  names: string[];
  country: string;
  start: string;
  end: string | null;
  summary: string;
}

// prettier-ignore
const KNOWN_EVENTS: MassEvent[] = [
  { names: ['January 2022 unrest', 'Qandy Qantar', 'Қанды қаңтар', 'Кровавый январь'], country: 'KZ', start: '2022-01-02', end: '2022-01-11', summary: 'Protests against the doubling of the gas price in Zhanaozen that spread across the country and were put down by force.' },
  { names: ['Zhanaozen massacre', 'Жаңаөзен оқиғасы', 'Жанаозенская трагедия'], country: 'KZ', start: '2011-12-16', end: '2011-12-17', summary: 'Police fired on striking oil workers in Zhanaozen.' },
  { names: ['2016 land reform protests', 'Жер митингілері'], country: 'KZ', start: '2016-04-24', end: '2016-05-21', summary: 'Protests against the sale of agricultural land to foreigners.' },
  { names: ['2019 presidential election protests', 'Митинги 9 июня'], country: 'KZ', start: '2019-06-09', end: '2019-06-12', summary: 'Arrests of protesters on election day and after.' },
  { names: ['2022 Karakalpakstan protests', 'Қарақалпақстан наразылықтары'], country: 'UZ', start: '2022-07-01', end: '2022-07-03', summary: 'Protests against constitutional amendments in Nukus.' },
  { names: ['Democratic Choice of Kazakhstan prosecutions', 'Дело ДВК'], country: 'KZ', start: '2018-03', end: null, summary: 'Prosecutions for support of a movement banned as extremist.' },
  { names: ['2020 Kyrgyz post-election protests'], country: 'KG', start: '2020-10-05', end: '2020-10-15', summary: 'Protests after the parliamentary elections in Bishkek.' },
  { names: ['Kempir-Abad reservoir protests'], country: 'KG', start: '2022-10-23', end: '2022-10-24', summary: 'Arrests of opponents of the border agreement on the Kempir-Abad reservoir.' },
];

// ---------------------------------------------------------------------------------------------
// Custody histories

// prettier-ignore
const NEXT_STATUS: Record<CustodyStatus, Choices<CustodyStatus>> = {
  arrested: [['pretrial-detention', 62], ['house-arrest', 14], ['released-on-bail', 9], ['restricted-freedom', 5], ['released', 10]],
  'pretrial-detention': [['imprisoned', 42], ['house-arrest', 18], ['released-on-bail', 10], ['restricted-freedom', 18], ['released', 6], ['acquitted', 3], ['disappeared', 1], ['deceased', 1]],
  'house-arrest': [['restricted-freedom', 35], ['imprisoned', 28], ['released', 25], ['pretrial-detention', 12]],
  'released-on-bail': [['restricted-freedom', 40], ['imprisoned', 30], ['released', 20], ['in-exile', 10]],
  'restricted-freedom': [['released', 50], ['imprisoned', 30], ['in-exile', 20]],
  imprisoned: [['released', 58], ['restricted-freedom', 27], ['in-exile', 12], ['deceased', 3]],
  released: [['arrested', 60], ['in-exile', 20], ['at-liberty', 20]],
  acquitted: [['at-liberty', 70], ['arrested', 30]],
  'in-exile': [['arrested', 30], ['at-liberty', 70]],
  'at-liberty': [['arrested', 100]],
  disappeared: [['unknown', 50], ['released', 35], ['deceased', 15]],
  unknown: [['arrested', 100]],
  deceased: [],
};
// prettier-ignore
const FIRST_STATUS: Choices<CustodyStatus> = [['arrested', 85], ['pretrial-detention', 5], ['in-exile', 4], ['at-liberty', 4], ['disappeared', 2]];
const TERMINAL: ReadonlySet<CustodyStatus> = new Set(['deceased']);

function facility(rng: Rng, status: CustodyStatus, city: string): string | null {
  if (status === 'pretrial-detention') return `Pre-trial detention centre (SIZO) No. ${rng.between(1, 3)} of ${city}`;
  if (status === 'imprisoned')
    return `Penal colony ${rng.pick(['UG-157', 'EC-166', 'AK-159', 'LA-155', 'UK-161'])}/${rng.between(1, 20)}`;
  if (status === 'arrested') return rng.chance(0.5) ? `Temporary detention facility of ${city} police` : null;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Seeding

interface SeededPerson {
  id: string;
  displayName: string;
  country: string;
  /** Its `persons` row without the defendant stages, written once its cases are made (`seedPersonRows`). */
  row: Field[];
  /** The stages of its live cases as a defendant, per audience (`refreshDefendantStages`' columns). */
  stages: { all: Set<CaseStage>; unrestricted: Set<CaseStage>; public: Set<CaseStage> };
}

/** The `persons` columns of `SeededPerson.row`. */
const PERSON_COLUMNS = cols(
  'id display_name country occupations notes visibility birth_date birth_precision birth_sort current_status_all current_status_unrestricted current_status_public',
);

interface CaseCourt {
  court: Court;
  country: string;
}

async function seedSourcesAndEvents(url: string, rng: Rng): Promise<{ sources: string[]; events: string[] }> {
  const sources: string[] = [];
  const events: string[] = [];
  const publishers = [
    'Radio Azattyq',
    'Vlast.kz',
    'Kazakhstan Bureau for Human Rights',
    'Human Rights Watch',
    'Amnesty International',
    'Adil Soz',
    'Eurasianet',
    'OSCE/ODIHR',
  ];
  await copyTables(
    url,
    {
      sources: {
        table: 'sources',
        columns: cols('id publisher title url language visibility published_date published_precision published_sort'),
      },
      events: {
        table: 'events',
        columns: cols('id names country summary start_date start_precision start_sort end_date end_precision end_sort'),
      },
    },
    async (w) => {
      for (let i = 0; i < COUNTS.sources; i += 1) {
        const id = rng.uuid();
        sources.push(id);
        const day = rng.between(dayOf('2011-12-16'), TODAY);
        const publisher = rng.pick(publishers);
        const visibility = rng.weighted(VISIBILITY_EVENT);
        w.sources.row([
          id,
          publisher,
          `${publisher}: report No. ${i + 1}`,
          visibility === 'restricted' ? null : `https://example.org/reports/${i + 1}`,
          rng.pick(['en', 'ru', 'kk']),
          visibility,
          isoDay(day),
          'day',
          isoDay(day),
        ]);
      }
      for (let i = 0; i < COUNTS.events; i += 1) {
        const id = rng.uuid();
        events.push(id);
        let event = KNOWN_EVENTS[i];
        if (!event) {
          const day = rng.between(dayOf('2012-01-01'), TODAY - 30);
          const court = rng.weighted(KZ_COURT_CHOICES);
          const month = DateTime.fromMillis(day * DAY_MS, { zone: 'UTC' }).toFormat('MMMM yyyy');
          event = {
            names: [`${court.city} protests of ${month}`],
            country: 'KZ',
            start: isoDay(day),
            end: rng.chance(0.6) ? isoDay(day + rng.between(1, 5)) : null,
            summary: `Protesters detained in ${court.city}.`,
          };
        }
        const precision = (date: string): DatePrecision =>
          date.length === 10 ? 'day' : date.length === 7 ? 'month' : 'year';
        const end = event.end;
        w.events.row([
          id,
          textArray(event.names),
          event.country,
          event.summary,
          event.start,
          precision(event.start),
          partialDateSortKey({ date: event.start, precision: precision(event.start) }),
          end,
          end ? precision(end) : null,
          end ? partialDateSortKey({ date: end, precision: precision(end) }) : null,
        ]);
      }
    },
  );
  return { sources, events };
}

interface NameRow {
  value: string;
  script: 'Latn' | 'Cyrl';
  lang: string;
}

/** 2-4 names of one person: preferred Latin, Kazakh Cyrillic, then Russian Cyrillic and another transliteration. */
function personNames(rng: Rng): NameRow[] {
  const female = rng.chance(0.45);
  const given = rng.pick(female ? FEMALE_GIVEN : MALE_GIVEN);
  const family = female ? feminine(rng.pick(FAMILY)) : rng.pick(FAMILY);
  const father: NamePart | null = rng.chance(0.35) ? rng.pick(MALE_GIVEN) : null;
  const patr = father ? patronymic(father, female, rng.chance(0.4)) : null;
  const latin = [given.lat, ...(patr && rng.chance(0.3) ? [patr.lat] : []), family.lat].join(' ');
  const kazakh = rng.chance(0.5)
    ? [family.kk, given.kk, ...(patr ? [patr.kk] : [])].join(' ')
    : [given.kk, family.kk].join(' ');
  const russian = russianSpelling([family.kk, given.kk, ...(patr ? [patr.kk] : [])].join(' '));
  const names: NameRow[] = [
    { value: latin, script: 'Latn', lang: 'en' },
    { value: kazakh, script: 'Cyrl', lang: 'kk' },
  ];
  const count = rng.weighted(NAME_COUNTS);
  const add = (name: NameRow) => {
    const same = names.some((n) => n.script === name.script && n.value.toLowerCase() === name.value.toLowerCase());
    if (!same) names.push(name);
  };
  if (count >= 3) add({ value: russian, script: 'Cyrl', lang: 'ru' });
  if (count >= 4) {
    const habit = rng.weighted(HABITS);
    const source = habit === 'kk2021' ? [given.kk, family.kk].join(' ') : russian;
    add({ value: transliterate(source, habit), script: 'Latn', lang: habit === 'kk2021' ? 'kk-Latn' : habit });
  }
  return names;
}

async function seedPersons(
  url: string,
  rng: Rng,
  sources: string[],
): Promise<{ persons: SeededPerson[]; counts: Record<string, number> }> {
  const persons: SeededPerson[] = [];
  const custodyCounts = exactCounts(rng, COUNTS.persons, COUNTS.custodyEvents, 0, 7, () =>
    rng.weighted(CUSTODY_COUNTS),
  );
  const keys = new Map<string, string>();
  const keyOf = (value: string) => {
    let key = keys.get(value);
    if (key === undefined) {
      key = nameKey(value);
      keys.set(value, key);
    }
    return key;
  };
  let eventSeq = 0;
  const counts = await copyTables(
    url,
    {
      names: {
        table: 'person_names',
        columns: cols('id person_id value search_key script lang preferred position'),
      },
      events: {
        table: 'custody_events',
        columns: cols('id person_id status place facility note visibility from_date from_precision from_sort'),
      },
      personSources: { table: 'person_sources', columns: cols('person_id source_id') },
      eventSources: { table: 'custody_event_sources', columns: cols('custody_event_id source_id') },
    },
    async (w) => {
      for (let i = 0; i < COUNTS.persons; i += 1) {
        const id = rng.uuid();
        const names = personNames(rng);
        const country = rng.weighted(COUNTRIES);
        const city =
          country === 'KZ' || !OTHER_COURTS[country]
            ? rng.weighted(KZ_COURT_CHOICES).city
            : OTHER_COURTS[country][0]!.city;
        names.forEach((name, position) =>
          w.names.row([
            rng.uuid(),
            id,
            name.value,
            keyOf(name.value),
            name.script,
            name.lang,
            position === 0,
            position,
          ]),
        );
        // Custody history: a chain of statuses, in date order (ties on the same partial date included).
        const facts: Array<{ status: CustodyStatus; from: PartialDate; seq: number; visibility: Visibility }> = [];
        const n = custodyCounts[i]!;
        let day = rng.chance(0.4)
          ? rng.between(dayOf('2022-01-04'), dayOf('2022-01-25'))
          : rng.between(dayOf('2011-12-16'), TODAY - 400);
        let status = rng.weighted(FIRST_STATUS);
        for (let k = 0; k < n; k += 1) {
          if (k > 0) {
            const choices = NEXT_STATUS[status].filter(([s]) => k === n - 1 || !TERMINAL.has(s));
            status = choices.length > 0 ? rng.weighted(choices) : 'unknown';
            day = Math.min(TODAY, day + (status === 'pretrial-detention' ? rng.between(0, 3) : rng.between(10, 600)));
          }
          const from = partialDate(rng, day);
          const visibility = rng.weighted(VISIBILITY_EVENT);
          const eventId = rng.uuid();
          eventSeq += 1;
          facts.push({ status, from, seq: eventSeq, visibility });
          w.events.row([
            eventId,
            id,
            status,
            status === 'in-exile' ? rng.pick(['Kyiv', 'Berlin', 'Vilnius', 'Amsterdam', 'Prague']) : city,
            visibility === 'restricted' ? null : facility(rng, status, city),
            rng.chance(0.1) ? 'Reported by relatives.' : null,
            visibility,
            from.date,
            from.precision,
            partialDateSortKey(from),
          ]);
          if (rng.chance(0.2)) w.eventSources.row([eventId, rng.pick(sources)]);
        }
        const statuses = currentStatuses(facts);
        const birth: PartialDate | null = rng.chance(0.9)
          ? rng.chance(0.85)
            ? { date: String(rng.between(1950, 2004)), precision: rng.chance(0.05) ? 'approximate' : 'year' }
            : { date: isoDay(rng.between(dayOf('1950-01-01'), dayOf('2004-12-31'))), precision: 'day' }
          : null;
        const occupations = rng.chance(0.6)
          ? [rng.pick(OCCUPATIONS), ...(rng.chance(0.2) ? [rng.pick(OCCUPATIONS)] : [])]
          : [];
        const row: Field[] = [
          id,
          names[0]!.value,
          country,
          textArray([...new Set(occupations)]),
          rng.chance(0.05) ? 'Recognised as a political prisoner by the Human Rights Commission of Kazakhstan.' : null,
          rng.weighted(VISIBILITY_PERSON),
          birth?.date,
          birth?.precision,
          birth ? partialDateSortKey(birth) : null,
          statuses.all,
          statuses.unrestricted,
          statuses.public,
        ];
        if (rng.chance(0.3)) {
          const first = rng.int(sources.length);
          w.personSources.row([id, sources[first]]);
          if (rng.chance(0.3))
            w.personSources.row([id, sources[(first + 1 + rng.int(sources.length - 1)) % sources.length]]);
        }
        const stages = { all: new Set<CaseStage>(), unrestricted: new Set<CaseStage>(), public: new Set<CaseStage>() };
        persons.push({ id, displayName: names[0]!.value, country, row, stages });
        if (i % 500 === 499) await Promise.all(Object.values(w).map((writer) => writer.flush()));
      }
    },
  );
  return { persons, counts };
}

const OFFSETS = new Map<string, number>();
/** The UTC offset (minutes) of `zone` at noon of `day`; no court zone here changes offset during office hours. */
function offsetMinutes(zone: string, day: number): number {
  const key = `${zone}|${day}`;
  let offset = OFFSETS.get(key);
  if (offset === undefined) {
    const d = new Date(day * DAY_MS);
    const local = DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 12 },
      { zone },
    );
    if (!local.isValid) throw new Error(`unknown time zone ${zone}`);
    offset = local.offset;
    OFFSETS.set(key, offset);
  }
  return offset;
}

async function seedCases(
  url: string,
  rng: Rng,
  persons: SeededPerson[],
  events: string[],
  sources: string[],
): Promise<Record<string, number>> {
  const hearingCounts = exactCounts(rng, COUNTS.cases, COUNTS.hearings, 1, 60, () =>
    rng.chance(0.15) ? rng.between(12, 30) : rng.between(1, 8),
  );
  const first = dayOf('2022-01-03');
  const last = dayOf('2027-12-31');
  const nowMs = Date.now();
  return copyTables(
    url,
    {
      cases: {
        table: 'cases',
        columns: cols(
          'id title country court jurisdiction stage event_id verdict sentence notes visibility verdict_date verdict_precision verdict_sort',
        ),
      },
      participants: { table: 'case_participants', columns: cols('id case_id person_id role note position') },
      charges: {
        table: 'case_charges',
        columns: cols('id case_id article description max_sentence position'),
      },
      caseSources: { table: 'case_sources', columns: cols('case_id source_id') },
      hearings: {
        table: 'hearings',
        columns: cols('id case_id starts_at time_zone court courtroom kind status outcome postponed_to_id visibility'),
      },
    },
    async (w) => {
      for (let c = 0; c < COUNTS.cases; c += 1) {
        const id = rng.uuid();
        // Defendants (co-defendants for some), and for some cases a lawyer, a witness or a victim.
        const defendantCount = rng.weighted(DEFENDANT_COUNTS);
        const defendants: SeededPerson[] = [];
        while (defendants.length < defendantCount) {
          const p = rng.pick(persons);
          if (!defendants.includes(p)) defendants.push(p);
        }
        const others: Array<[SeededPerson, string]> = [];
        if (rng.chance(0.18)) others.push([rng.pick(persons), 'lawyer']);
        if (rng.chance(0.06)) others.push([rng.pick(persons), 'witness']);
        if (rng.chance(0.03)) others.push([rng.pick(persons), 'victim']);
        const country = defendants[0]!.country;
        const where: CaseCourt = OTHER_COURTS[country]
          ? { court: rng.pick(OTHER_COURTS[country]), country }
          : { court: rng.weighted(KZ_COURT_CHOICES), country: 'KZ' };
        const event =
          where.country === 'KZ' && rng.chance(0.35) ? (rng.chance(0.5) ? events[0]! : rng.pick(events)) : null;

        // Hearings: a run of dates 3-40 days apart, on working days, between 09:00 and 17:30 court time.
        const n = hearingCounts[c]!;
        const days: number[] = [];
        let day = rng.between(first, last);
        for (let k = 0; k < n; k += 1) {
          if (k > 0) day += rng.between(3, 40);
          const weekday = new Date(day * DAY_MS).getUTCDay();
          if (weekday === 6) day += 2;
          else if (weekday === 0) day += 1;
          days.push(day);
        }
        const overflow = days[days.length - 1]! - last;
        if (overflow > 0) {
          // Shift back by whole weeks, so that the working days stay working days.
          const shift = Math.ceil(overflow / 7) * 7;
          for (let k = 0; k < n; k += 1) days[k] = days[k]! - shift;
        }
        const starts = days.map((d) => {
          const minutes = 9 * 60 + rng.int(18) * 30;
          return (d * 1440 + minutes - offsetMinutes(where.court.zone, d)) * 60_000;
        });
        const past = starts.filter((t) => t < nowMs).length;
        const stage =
          past === 0
            ? rng.weighted(STAGES_BEFORE)
            : past < n
              ? rng.weighted(STAGES_DURING)
              : rng.weighted(STAGES_AFTER);
        const decided = stage === 'verdict' || stage === 'appeal' || stage === 'cassation' || stage === 'closed';
        const verdict = decided && past > 0 ? rng.weighted(VERDICTS) : null;
        const verdictDay = verdict ? Math.floor(starts[past - 1]! / DAY_MS) : null;
        const names = defendants.map((d) => d.displayName);
        const title =
          names.length === 1
            ? `Case of ${names[0]}`
            : names.length === 2
              ? `Case of ${names[0]} and ${names[1]}`
              : `Case of ${names[0]} and ${names.length - 1} others`;
        const sentence =
          verdict === 'convicted' ? `${rng.between(1, 12)} years ${rng.chance(0.3) ? 6 : 0} months 0 days` : null;
        const notes = rng.chance(0.04) ? 'Closed hearings; relatives were not admitted.' : null;
        const visibility = rng.weighted(VISIBILITY_CASE);
        w.cases.row([
          id,
          title,
          where.country,
          where.court.name,
          'criminal',
          stage,
          event,
          verdict,
          sentence,
          notes,
          visibility,
          verdictDay === null ? null : isoDay(verdictDay),
          verdictDay === null ? null : 'day',
          verdictDay === null ? null : isoDay(verdictDay),
        ]);
        let position = 0;
        for (const d of defendants) {
          w.participants.row([rng.uuid(), id, d.id, 'defendant', null, position++]);
          d.stages.all.add(stage);
          if (visibility !== 'restricted') d.stages.unrestricted.add(stage);
          if (visibility === 'public') d.stages.public.add(stage);
        }
        for (const [p, role] of others) {
          if (defendants.includes(p)) continue;
          w.participants.row([rng.uuid(), id, p.id, role, null, position++]);
        }
        const chargeCount = rng.weighted(CHARGE_COUNTS);
        const articles: Article[] = [];
        for (let tries = 0; articles.length < chargeCount && tries < 10; tries += 1) {
          const a = rng.weighted(event ? ARTICLES_EVENT : ARTICLES_OTHER);
          if (!articles.includes(a)) articles.push(a);
        }
        articles.forEach((a, i) =>
          w.charges.row([rng.uuid(), id, a.article, a.description, `${a.years} years 0 months 0 days`, i]),
        );
        if (rng.chance(0.3)) w.caseSources.row([id, rng.pick(sources)]);

        const ids = starts.map(() => rng.uuid());
        for (let k = 0; k < n; k += 1) {
          const inPast = starts[k]! < nowMs;
          const status = inPast ? rng.weighted(HEARINGS_PAST) : rng.weighted(HEARINGS_FUTURE);
          const kind =
            k === 0 && n > 1
              ? 'preliminary'
              : k === n - 1 && decided
                ? stage === 'appeal' || stage === 'cassation'
                  ? 'appeal'
                  : 'verdict'
                : rng.chance(0.04)
                  ? 'other'
                  : 'trial';
          w.hearings.row([
            ids[k],
            id,
            new Date(starts[k]!).toISOString(),
            where.court.zone,
            where.court.name,
            rng.chance(0.6) ? `Courtroom ${rng.between(1, 12)}` : null,
            kind,
            status,
            status === 'held' && rng.chance(0.2) ? 'Adjourned for the prosecution to call witnesses.' : null,
            status === 'postponed' && k < n - 1 ? ids[k + 1] : null,
            rng.weighted(VISIBILITY_HEARING),
          ]);
        }
        if (c % 200 === 199) await Promise.all(Object.values(w).map((writer) => writer.flush()));
      }
    },
  );
}

/**
 * The `persons` rows, written after the cases: each with the stages of its cases as a defendant
 * (bits, as `refreshDefendantStages` and the migration's backfill store them).
 */
async function seedPersonRows(url: string, persons: readonly SeededPerson[]): Promise<void> {
  const bits = (stages: Set<CaseStage>) => [...stages].reduce((set, s) => set | (1 << CASE_STAGES.indexOf(s)), 0);
  await copyTables(
    url,
    {
      persons: {
        table: 'persons',
        columns: [
          ...PERSON_COLUMNS,
          ...cols('defendant_stage_bits_all defendant_stage_bits_unrestricted defendant_stage_bits_public'),
        ],
      },
    },
    async (w) => {
      for (const [i, p] of persons.entries()) {
        w.persons.row([...p.row, bits(p.stages.all), bits(p.stages.unrestricted), bits(p.stages.public)]);
        if (i % 2000 === 1999) await w.persons.flush();
      }
    },
  );
}

/**
 * How many persons' stored `what` differ from a migration's rule (`differing`: SQL selecting
 * them); if any, they are reported and set with the migration's `backfill`.
 */
async function checkDerived(
  db: pg.Client,
  what: string,
  differing: string,
  backfill: string,
  params: unknown[] = [],
): Promise<number> {
  const wrong = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${differing}) d`, params)).rows[0]!.n;
  if (wrong > 0) {
    console.error(`  WARNING: ${wrong} persons' ${what} differed from the migration's rule; set with its SQL`);
    await db.query(backfill, params);
  }
  return wrong;
}

async function main(): Promise<void> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let url: string;
  let created = false;
  if (GIVEN_URL) {
    url = GIVEN_URL;
  } else {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(BENCH_DATABASE)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(BENCH_DATABASE)}`);
    created = true;
    const u = new URL(ADMIN_URL);
    u.pathname = `/${BENCH_DATABASE}`;
    url = u.toString();
  }
  const shown = url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
  console.log(
    `seeding ${shown}: ${COUNTS.persons} persons, ${COUNTS.cases} cases, ${COUNTS.hearings} hearings, ` +
      `${COUNTS.custodyEvents} custody events (seed ${SEED}; ${cpus().length} CPUs, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})`,
  );
  const db = new pg.Client({ connectionString: url, application_name: 'bench-seed' });
  let ok = false;
  try {
    const migrator = new DataSource(
      dataSourceOptions(new AppConfig(validateEnvironment({ DATABASE_URL: url })), { migrations: MIGRATIONS }),
    );
    await migrator.initialize();
    await runMigrationsLocked(migrator);
    await migrator.destroy();
    const migrated = performance.now();

    await db.connect();
    const existing = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM persons')).rows[0]!.n;
    if (existing > 0) throw new Error(`the database already has ${existing} persons: seed an empty one`);
    const schema = await takeOffKeysAndIndexes(db);

    const rng = new Rng(SEED);
    const { sources, events } = await seedSourcesAndEvents(url, rng);
    const { persons } = await seedPersons(url, rng, sources);
    const personsDone = performance.now();
    console.log(`  names, custody events: ${((personsDone - migrated) / 1000).toFixed(1)} s`);
    await seedCases(url, rng, persons, events, sources);
    await seedPersonRows(url, persons);
    const loaded = performance.now();
    console.log(`  cases, participants, charges, hearings, persons: ${((loaded - personsDone) / 1000).toFixed(1)} s`);

    await putBackKeysAndIndexes(url, schema);
    const indexed = performance.now();
    console.log(
      `  keys and indexes (${schema.keys.length + schema.indexes.length + schema.foreignKeys.length}): ${((indexed - loaded) / 1000).toFixed(1)} s`,
    );

    // The stored current statuses and defendant stages, checked against the migrations' backfill
    // rules (a person who is no live case's defendant has no stages).
    const wrong = await checkDerived(
      db,
      'current status',
      `SELECT p.id FROM persons p LEFT JOIN (${LATEST_CUSTODY_STATUSES_SQL}) latest ON latest.person_id = p.id
        WHERE p.current_status_all IS DISTINCT FROM latest.status_all
           OR p.current_status_unrestricted IS DISTINCT FROM latest.status_unrestricted
           OR p.current_status_public IS DISTINCT FROM latest.status_public`,
      BACKFILL_CURRENT_STATUSES_SQL,
    );
    const statusesChecked = performance.now();
    console.log(
      `  current custody statuses checked (${wrong} differed): ${((statusesChecked - indexed) / 1000).toFixed(1)} s`,
    );
    const wrongStages = await checkDerived(
      db,
      'defendant stages',
      `SELECT p.id FROM persons p LEFT JOIN (${DEFENDANT_STAGE_BITS_SQL}) stages ON stages.person_id = p.id
        WHERE p.defendant_stage_bits_all <> COALESCE(stages.bits_all, 0)
           OR p.defendant_stage_bits_unrestricted <> COALESCE(stages.bits_unrestricted, 0)
           OR p.defendant_stage_bits_public <> COALESCE(stages.bits_public, 0)`,
      BACKFILL_DEFENDANT_STAGE_BITS_SQL,
      [STAGE_BIT_ORDER],
    );
    const checked = performance.now();
    console.log(
      `  defendant stages checked (${wrongStages} differed): ${((checked - statusesChecked) / 1000).toFixed(1)} s`,
    );

    await db.query("SET maintenance_work_mem = '1GB'");
    await db.query(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
    await db.query('ANALYZE');
    const analysed = performance.now();
    console.log(`  VACUUM (ANALYZE): ${((analysed - checked) / 1000).toFixed(1)} s`);

    const tables = [...TABLES, 'audit_log', 'users'];
    const counts: Record<string, number> = {};
    for (const t of tables) {
      counts[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
    }
    const size = (
      await db.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size')
    ).rows[0]!.size;
    const seconds = (analysed - started) / 1000;
    console.log(
      JSON.stringify({ database: shown, seed: SEED, counts, size, seconds: Number(seconds.toFixed(1)) }, null, 2),
    );
    console.log(`seeded in ${seconds.toFixed(1)} s (${size}); now: npm run bench:api`);
    ok = true;
  } finally {
    await db.end().catch(() => undefined);
    if (!ok && created)
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(BENCH_DATABASE)} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
