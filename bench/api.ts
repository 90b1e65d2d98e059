/**
 * `npm run bench:api`: latency of the API at 100,000 case files (seeded by `npm run bench:seed`),
 * against the same SQL run straight on PostgreSQL in the same run, and the time of a 100,000-row
 * CSV import into that database.
 *
 * 1. Starts the real API (`dist/apps/api/src/main.js`, built by the npm script's `tsc`) as a child
 *    process with its own port, queue prefix, generated DATA_ENCRYPTION_KEY and LOG_LEVEL=warn,
 *    and signs in. The bench admin (`bench-admin@example.org`) is the first admin the API creates
 *    from ADMIN_EMAIL/ADMIN_PASSWORD while there are no users; on later runs its password is set
 *    to this run's (a new argon2 hash written to `users`; not audited). BENCH_ROLE=editor also
 *    creates (through the API) and signs in as an editor, who sees what is not restricted.
 * 2. Picks the parameters from the data: random persons (the case file), names to search for in
 *    four spellings (the stored Latin name, a stored Cyrillic one, a Dutch transliteration of the
 *    Russian spelling, a typo in the Latin one), date windows of a day, a week and a month from
 *    2022 to 2027, the upcoming days, the custody statuses of the filtered list with facets.
 * 3. Captures the SQL: the API runs once more behind a recording proxy (bench/api-capture.ts),
 *    serving every parameter set once, one request at a time; what it sends to PostgreSQL for
 *    each request (every statement, its values, which of its connections and in which order or
 *    in parallel) is that request's trace. The API is then restarted connected directly.
 * 4. For each scenario: autocannon with BENCH_CONNECTIONS connections (10) for BENCH_DURATION
 *    seconds (15) after a BENCH_WARMUP (5) second warm-up, each request one of the parameter
 *    sets at random; then the traces of the same parameter sets replayed on a `pg` pool of the
 *    API's size (DATABASE_POOL_SIZE, 10) by as many concurrent clients, for as long. Latency
 *    percentiles are over every request of the measured period. The same at one connection
 *    (BENCH_SINGLE=0 skips), and for the search, each spelling on its own at one connection.
 * 5. `EXPLAIN (ANALYZE, BUFFERS)` of every query of a trace of each scenario (of each spelling
 *    for the search), warm, into BENCH_PLANS_FILE (bench/plans.txt), with every Seq Scan listed.
 * 6. The import: a copy of the database (`CREATE DATABASE ... TEMPLATE`), the API and a worker
 *    (`dist/apps/worker/src/main.js`) on it, BENCH_IMPORT_ROWS (100,000; 0 skips) rows of new
 *    persons uploaded to `POST /api/v1/imports`, timed from the upload until `done`, and the
 *    audit chain of the copy verified. The copy is dropped (BENCH_KEEP_DATABASE=1 keeps it).
 *
 * The seeded database is left as it was (only the bench users and their sign-ins are added), to
 * be measured again. Child processes are stopped and the prefix's Redis keys deleted at the end,
 * also on failure or Ctrl-C. Exits non-zero only on errors; a missed target is reported as MISS.
 * Environment: DATABASE_URL (default case_tracker_bench on DATABASE_ADMIN_URL's server),
 * DATABASE_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL, BENCH_CONNECTIONS,
 * BENCH_DURATION, BENCH_WARMUP, BENCH_SINGLE, BENCH_SCENARIOS (search,casefile,hearings,upcoming,
 * facets), BENCH_ROLE (admin), BENCH_IMPORT_ROWS, BENCH_PLANS_FILE, BENCH_KEEP_DATABASE.
 */
import 'reflect-metadata';
import { hashPassword } from '#access';
import { generateKeyEntry } from '#encryption';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  type CapturedStatement,
  isQuery,
  replay,
  runStatement,
  statementCount,
  type Trace,
  traceOf,
  WireCapture,
} from './api-capture.js';
import { russianSpelling, transliterate, typo } from './api-names.js';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = process.env.DATABASE_URL ?? withDatabase(ADMIN_URL, 'case_tracker_bench');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const SINGLE = process.env.BENCH_SINGLE !== '0';
const KIND_DURATION = Number(process.env.BENCH_KIND_DURATION ?? 5);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'search,casefile,hearings,upcoming,facets').split(',');
const ROLE = process.env.BENCH_ROLE === 'editor' ? 'editor' : 'admin';
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const PLANS_FILE = process.env.BENCH_PLANS_FILE ?? 'bench/plans.txt';
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
const POOL_SIZE = Number(process.env.DATABASE_POOL_SIZE ?? 10);
/** Node flags for the API and worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const CHILD_FLAGS = (process.env.BENCH_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
const ADMIN_EMAIL = 'bench-admin@example.org';
const EDITOR_EMAIL = 'bench-editor@example.org';
const RATIO_TARGET = 1.5;
const IMPORT_TARGET_MS = 120_000;
/** How long to wait for the import before reporting how far it got (and stopping). */
const IMPORT_TIMEOUT_MS = Number(process.env.BENCH_IMPORT_TIMEOUT_MINUTES ?? 20) * 60_000;

const run = `${Date.now().toString(36)}_${process.pid}`;
/** Which persons are picked (searched for, case files): the same `BENCH_SAMPLE_SEED` picks the same ones. */
const sampleSeed = process.env.BENCH_SAMPLE_SEED ?? run;
const prefix = `case-tracker-bench-api-${run}`;
const importDatabase = `case_tracker_bench_import_${run}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Stats {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function stats(latencies: number[], seconds: number, errors: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(2));
  return {
    requests: sorted.length,
    perSecond: Math.round(sorted.length / seconds),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    errors,
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

const children = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...CHILD_FLAGS, script], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

interface Api {
  child: ChildProcess;
  base: string;
}

/** Starts the API on `databaseUrl` and waits until its health check answers. */
async function startApi(databaseUrl: string, env: NodeJS.ProcessEnv): Promise<Api> {
  const port = await freePort();
  const child = start('dist/apps/api/src/main.js', { ...env, DATABASE_URL: databaseUrl, PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the API did not become healthy within 60 s');
    await sleep(200);
  }
}

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login as ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  name: string;
  title: string;
  /** p95 target, ms. */
  target: number;
  paths: string[];
  /** For the search: the spelling of each path. */
  kinds?: string[];
  traces: Trace[];
  skipped?: string;
}

const SEARCH_KINDS = ['latin', 'cyrillic', 'dutch', 'typo'] as const;

/** Persons the reader sees (an editor without grants does not see restricted ones). */
const VISIBLE_PERSONS = `archived_at IS NULL${ROLE === 'editor' ? " AND visibility <> 'restricted'" : ''}`;

async function pickParameters(db: pg.Client): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  // Name search: 30 persons, each in four spellings.
  const sample = (
    await db.query<{ id: string }>(
      `SELECT id FROM persons WHERE ${VISIBLE_PERSONS} ORDER BY md5(id::text || $1) LIMIT 30`,
      [sampleSeed],
    )
  ).rows.map((r) => r.id);
  const names = (
    await db.query<{ person_id: string; value: string; script: string; lang: string | null; preferred: boolean }>(
      'SELECT person_id, value, script, lang, preferred FROM person_names WHERE person_id = ANY($1) ORDER BY position',
      [sample],
    )
  ).rows;
  const searchPaths: string[] = [];
  const kinds: string[] = [];
  sample.forEach((id, i) => {
    const own = names.filter((n) => n.person_id === id);
    const latin = own.find((n) => n.preferred)!.value;
    const cyrillic = own.find((n) => n.script === 'Cyrl') ?? own[0]!;
    const russian = own.find((n) => n.lang === 'ru')?.value ?? russianSpelling(cyrillic.value);
    const queries: Record<(typeof SEARCH_KINDS)[number], string> = {
      latin,
      cyrillic: cyrillic.value,
      dutch: transliterate(russian, 'nl'),
      typo: typo(latin, ((i * 0.618) % 1) * 0.999),
    };
    for (const kind of SEARCH_KINDS) {
      searchPaths.push(`/api/v1/persons?q=${encodeURIComponent(queries[kind])}`);
      kinds.push(kind);
    }
  });
  scenarios.push({ name: 'search', title: 'Name search', target: 50, paths: searchPaths, kinds, traces: [] });

  const persons = (
    await db.query<{ id: string }>(
      `SELECT id FROM persons WHERE ${VISIBLE_PERSONS} ORDER BY md5(id::text || $1) LIMIT 100 OFFSET 30`,
      [sampleSeed],
    )
  ).rows;
  scenarios.push({
    name: 'casefile',
    title: 'Case file of one person',
    target: 25,
    paths: persons.map((p) => `/api/v1/persons/${p.id}`),
    traces: [],
  });

  // Date windows in court time (+05:00): a day (30%), a week (50%) or a month (20%), 2022-2027.
  const windows: string[] = [];
  const first = Date.UTC(2022, 0, 3) / 86_400_000;
  for (let i = 0; i < 60; i += 1) {
    const day = first + ((i * 7919) % (6 * 365 - 40));
    const length = i % 10 < 3 ? 1 : i % 10 < 8 ? 7 : 31;
    const at = (d: number) => `${new Date(d * 86_400_000).toISOString().slice(0, 10)}T00:00:00+05:00`;
    windows.push(`/api/v1/hearings?from=${encodeURIComponent(at(day))}&to=${encodeURIComponent(at(day + length))}`);
  }
  scenarios.push({ name: 'hearings', title: 'Hearings in a date range', target: 40, paths: windows, traces: [] });

  scenarios.push({
    name: 'upcoming',
    title: 'Upcoming hearings (14 days)',
    target: 40,
    paths: ['/api/v1/hearings/upcoming?days=14'],
    traces: [],
  });

  const statuses = ['pretrial-detention', 'pretrial-detention', 'imprisoned', 'house-arrest', 'restricted-freedom'];
  scenarios.push({
    name: 'facets',
    title: 'Filtered person list with facets',
    target: 40,
    paths: statuses.map((s) => `/api/v1/persons?country=KZ&status=${s}&facets=true`),
    traces: [],
  });
  return scenarios.filter((s) => SCENARIOS.includes(s.name));
}

/** Checks each scenario's first request; a route or parameter that does not exist yet skips it. */
async function checkScenarios(base: string, token: string, scenarios: Scenario[]): Promise<void> {
  for (const s of scenarios) {
    const res = await fetch(`${base}${s.paths[0]}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status === 404 && s.name === 'upcoming') {
      s.skipped = `GET /api/v1/hearings/upcoming answered 404: the route does not exist yet`;
    } else if (s.name === 'facets' && (res.status === 400 || (res.ok && !body.includes('"facets"')))) {
      s.skipped = `GET /api/v1/persons?facets=true answered ${res.status} without facets: not implemented yet`;
    } else if (!res.ok) {
      throw new Error(`${s.name}: GET ${s.paths[0]} answered ${res.status}: ${body.slice(0, 500)}`);
    }
    if (s.skipped) console.error(`SKIP ${s.name}: ${s.skipped}`);
  }
}

/** Serves each path once through the recording proxy and keeps what the API sent for it. */
async function captureTraces(base: string, token: string, capture: WireCapture, scenarios: Scenario[]): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  for (const s of scenarios.filter((x) => !x.skipped)) {
    for (const path of s.paths.slice(0, 3)) await (await fetch(`${base}${path}`, { headers })).text(); // warm
    for (const path of s.paths) {
      capture.recording = true;
      const from = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      await res.text();
      capture.recording = false;
      if (!res.ok) throw new Error(`${s.name}: GET ${path} answered ${res.status}`);
      s.traces.push(traceOf(capture.take(from)));
    }
    const counts = s.traces.map(statementCount);
    console.error(
      `captured ${s.name}: ${s.traces.length} requests, ${Math.min(...counts)}-${Math.max(...counts)} statements each`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Load

async function apiLoad(
  base: string,
  token: string,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const order = shuffled(paths.length);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        requests: [
          {
            method: 'GET',
            // A random parameter set per request (a shuffled round, so that each is used as often).
            setupRequest: (request) => ({ ...request, path: paths[order[next++ % order.length]!]! }),
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error as Error) : resolve(result)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time));
  });
  const errors = result.non2xx + result.errors + result.timeouts;
  return stats(latencies, seconds, errors);
}

function shuffled(n: number): number[] {
  const order = Array.from({ length: n * 10 }, (_, i) => i % n);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

async function sqlLoad(pool: pg.Pool, traces: Trace[], connections: number, seconds: number): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const order = shuffled(traces.length);
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const trace = traces[order[next++ % order.length]!]!;
        const started = performance.now();
        try {
          await replay(pool, trace);
          latencies.push(performance.now() - started);
        } catch (error) {
          errors += 1;
          if (errors === 1) console.error('replay failed:', error);
        }
      }
    }),
  );
  return stats(latencies, seconds, errors);
}

interface Row {
  scenario: string;
  title: string;
  connections: number;
  target: number | null;
  api: Stats;
  sql: Stats;
  statements: number;
  ratioP50: number;
  ratioP95: number;
  latency: 'PASS' | 'MISS' | '';
  ratio: 'PASS' | 'MISS' | '';
}

async function measure(
  api: Api,
  token: string,
  pool: pg.Pool,
  s: { name: string; title: string; target: number | null; paths: string[]; traces: Trace[] },
  connections: number,
  seconds: number,
  judged: boolean,
): Promise<Row> {
  if (WARMUP > 0) {
    await apiLoad(api.base, token, s.paths, connections, WARMUP);
  }
  const apiStats = await apiLoad(api.base, token, s.paths, connections, seconds);
  if (WARMUP > 0) await sqlLoad(pool, s.traces, connections, Math.min(WARMUP, 3));
  const sqlStats = await sqlLoad(pool, s.traces, connections, seconds);
  const ratioP50 = Number((apiStats.p50 / sqlStats.p50).toFixed(2));
  const ratioP95 = Number((apiStats.p95 / sqlStats.p95).toFixed(2));
  const row: Row = {
    scenario: s.name,
    title: s.title,
    connections,
    target: s.target,
    api: apiStats,
    sql: sqlStats,
    statements: Math.round(s.traces.map(statementCount).reduce((a, b) => a + b, 0) / s.traces.length),
    ratioP50,
    ratioP95,
    latency: judged && s.target !== null ? (apiStats.p95 < s.target ? 'PASS' : 'MISS') : '',
    ratio: judged ? (ratioP95 <= RATIO_TARGET ? 'PASS' : 'MISS') : '',
  };
  console.error(
    `${s.name.padEnd(16)} c=${String(connections).padStart(2)}  API p50 ${apiStats.p50} p95 ${apiStats.p95} ms ` +
      `(${apiStats.perSecond}/s, ${apiStats.errors} errors)  SQL p50 ${sqlStats.p50} p95 ${sqlStats.p95} ms ` +
      `(${sqlStats.perSecond}/s)  ratio ${ratioP50} / ${ratioP95} ${row.latency} ${row.ratio}`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------
// Plans

/** A Seq Scan reading at least this many rows is a problem; below, it is how small tables are best read. */
const LARGE_SCAN_ROWS = 10_000;

interface SeqScan {
  scenario: string;
  table: string;
  /** Rows read: returned and removed by the filter, over all loops. */
  rows: number;
  line: string;
}

/** The Seq Scans of a plan (EXPLAIN ANALYZE text), with the rows each read. */
function seqScansOf(plan: string[], scenario: string): SeqScan[] {
  const found: SeqScan[] = [];
  plan.forEach((line, i) => {
    const match = /Seq Scan on (\w+).*actual time=\S+ rows=(\d+) loops=(\d+)/.exec(line);
    if (!match) return;
    const loops = Number(match[3]);
    let rows = Number(match[2]) * loops;
    for (let j = i + 1; j < plan.length && !plan[j]!.includes('->'); j += 1) {
      const removed = /Rows Removed by Filter: (\d+)/.exec(plan[j]!);
      if (removed) rows += Number(removed[1]) * loops;
    }
    found.push({ scenario, table: match[1]!, rows, line: line.trim() });
  });
  return found;
}

async function explainTrace(
  db: pg.Client,
  label: string,
  path: string,
  trace: Trace,
  out: string[],
  seqScans: SeqScan[],
): Promise<void> {
  out.push(`\n${'='.repeat(100)}\n${label}: GET ${decodeURIComponent(path)}\n${'='.repeat(100)}`);
  const statements: CapturedStatement[] = trace.flat(2);
  for (const stage of trace) {
    for (const group of stage) {
      for (const s of group) {
        if (!isQuery(s)) {
          await runStatement(db, s);
          continue;
        }
        const explain = { ...s, text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}` };
        await runStatement(db, explain); // warm
        const plan = (await runStatement(db, explain)).rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
        // The token check's value is the hash of this run's bearer token: not worth keeping in a file.
        const secret = s.text.includes('token_hash');
        const values =
          s.values?.map((v) => (secret ? '<token hash>' : Buffer.isBuffer(v) ? `<${v.length} bytes>` : v)) ?? [];
        out.push(
          `\n-- statement ${statements.indexOf(s) + 1} of ${statements.length} (connection ${s.connection})`,
          s.text,
          ...(values.length > 0 ? [`-- values: ${JSON.stringify(values)}`] : []),
          ...plan,
        );
        seqScans.push(...seqScansOf(plan, label));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Import

const FIRST = ['Zhanbolat', 'Aigul', 'Serik', 'Dana', 'Marat', 'Gulnara', 'Askar', 'Yerlan', 'Makhambet', 'Nurlan'];
const FIRST_CYRILLIC = [
  'Жанболат',
  'Айгүл',
  'Серік',
  'Дана',
  'Марат',
  'Гүлнара',
  'Асқар',
  'Ерлан',
  'Махамбет',
  'Нұрлан',
];
/** Syllables whose folded keys differ, so that every generated surname is a person of its own. */
const SYLLABLES = ['bu', 'ke', 'to', 'mi', 'nu', 'le', 'ro', 'di', 'pu', 'fe'];
const SYLLABLES_CYRILLIC = ['бу', 'ке', 'то', 'ми', 'ну', 'ле', 'ро', 'ди', 'пу', 'фе'];
const IMPORT_STATUSES = ['arrested', 'pretrial-detention', 'house-arrest', 'imprisoned', 'restricted-freedom'];
const IMPORT_STAGES = ['investigation', 'awaiting-trial', 'trial', 'verdict', 'appeal'];

function surname(n: number, syllables: string[]): string {
  const word = String(n)
    .padStart(6, '0')
    .split('')
    .map((d) => syllables[Number(d)])
    .join('');
  return `${word[0]!.toUpperCase()}${word.slice(1)}`;
}

/** ROWS rows of new persons, each with a custody event, a case with two charges and a hearing. */
function importCsv(rows: number): Buffer {
  const year = new Date().getUTCFullYear() + 1;
  const lines = [
    'external_id,name,name_cyrillic,other_names,birth_year,country,custody_status,custody_since,place,case_title,charges,stage,next_hearing_at,hearing_time_zone,court,visibility',
  ];
  for (let n = 0; n < rows; n += 1) {
    const latin = `${FIRST[n % 10]} ${surname(n, SYLLABLES)}bekov`;
    const cyrillic = `${FIRST_CYRILLIC[n % 10]} ${surname(n, SYLLABLES_CYRILLIC)}беков`;
    const month = String((n % 12) + 1).padStart(2, '0');
    const day = String((n % 28) + 1).padStart(2, '0');
    lines.push(
      [
        `bench-api-import-${n}`,
        latin,
        cyrillic,
        `${latin.replace(/^Zh/, 'J')}; ${latin.replace(/ov$/, 'off')}`,
        String(1950 + (n % 50)),
        'KZ',
        IMPORT_STATUSES[n % IMPORT_STATUSES.length],
        n % 3 === 0 ? `~2023-${month}` : `2023-${month}-${day}`,
        'Almaty',
        `Case of ${latin}`,
        '"dissemination of knowingly false information; participation in mass riots"',
        IMPORT_STAGES[n % IMPORT_STAGES.length],
        `${year}-${month}-${day}T10:00`,
        'Asia/Almaty',
        'Specialised inter-district criminal court of Almaty',
        n % 4 === 0 ? 'public' : 'internal',
      ].join(','),
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

interface ImportResult {
  rows: number;
  megabytes: number;
  uploadMs: number;
  totalMs: number;
  status: string;
  report: unknown;
  error: string | null;
  timeline: Array<{ seconds: number; progress: number; rowsRead: number; status: string }>;
  auditEntries: number | null;
  auditChain: string;
  verdict: 'PASS' | 'MISS' | 'WRONG';
}

async function importBenchmark(
  admin: pg.Client,
  sourceDatabase: string,
  env: NodeJS.ProcessEnv,
  password: string,
): Promise<ImportResult | string> {
  // A copy of the seeded database: the import adds 100,000 persons, the seeded one stays as it was.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.query(
        `CREATE DATABASE ${pg.escapeIdentifier(importDatabase)} TEMPLATE ${pg.escapeIdentifier(sourceDatabase)} STRATEGY FILE_COPY`,
      );
      break;
    } catch (error) {
      // Autovacuum (or a straggling connection) on the template: try again shortly.
      if (attempt >= 10 || (error as { code?: string }).code !== '55006') throw error;
      await sleep(2000);
    }
  }
  const url = withDatabase(DATABASE_URL, importDatabase);
  const api = await startApi(url, env);
  const worker = start('dist/apps/worker/src/main.js', { ...env, DATABASE_URL: url });
  try {
    const token = await login(api.base, ADMIN_EMAIL, password);
    const auth = { authorization: `Bearer ${token}` };
    const file = importCsv(IMPORT_ROWS);
    const form = new FormData();
    form.set('file', new Blob([file], { type: 'text/csv' }), 'bench-api-import.csv');
    const started = performance.now();
    const res = await fetch(`${api.base}/api/v1/imports`, { method: 'POST', headers: auth, body: form });
    const accepted = performance.now();
    const created = (await res.json()) as { id: string };
    if (res.status === 404) return 'POST /api/v1/imports answered 404: the imports API does not exist yet';
    if (res.status !== 202) throw new Error(`import: ${res.status} ${JSON.stringify(created).slice(0, 1000)}`);
    let body: {
      status: string;
      progress: number;
      rowsRead: number;
      report: { created?: Record<string, number>; errorCount?: number } | null;
      error: string | null;
    };
    const timeline: Array<{ seconds: number; progress: number; rowsRead: number; status: string }> = [];
    for (;;) {
      await sleep(1000);
      body = (await (await fetch(`${api.base}/api/v1/imports/${created.id}`, { headers: auth })).json()) as typeof body;
      const seconds = Math.round((performance.now() - started) / 1000);
      const last = timeline.at(-1);
      if (!last || last.progress !== body.progress || last.status !== body.status || seconds - last.seconds >= 30) {
        timeline.push({ seconds, progress: body.progress, rowsRead: body.rowsRead, status: body.status });
        console.error(`  import: ${seconds} s ${body.status}, ${body.progress}% read, ${body.rowsRead} rows`);
      }
      if (body.status === 'done' || body.status === 'failed') break;
      if (performance.now() - started > IMPORT_TIMEOUT_MS) break;
    }
    const totalMs = performance.now() - started;
    if (body.status !== 'done' && body.status !== 'failed') {
      return {
        rows: IMPORT_ROWS,
        megabytes: Number((file.length / 2 ** 20).toFixed(1)),
        uploadMs: Math.round(accepted - started),
        totalMs: Math.round(totalMs),
        status: `${body.status} after ${Math.round(totalMs / 60_000)} min (stopped): ${body.progress}% read, ${body.rowsRead} rows`,
        report: null,
        error: null,
        timeline,
        auditEntries: null,
        auditChain: 'not checked',
        verdict: 'MISS',
      };
    }
    const { verifyAuditChain } = await import('#audit');
    const { DataSource } = await import('typeorm');
    const ds = new DataSource({ type: 'postgres', url });
    await ds.initialize();
    const chain = await verifyAuditChain(ds);
    await ds.destroy();
    const right =
      body.status === 'done' && body.report?.created?.persons === IMPORT_ROWS && body.report.errorCount === 0;
    return {
      rows: IMPORT_ROWS,
      megabytes: Number((file.length / 2 ** 20).toFixed(1)),
      uploadMs: Math.round(accepted - started),
      totalMs: Math.round(totalMs),
      status: body.status,
      report: body.report,
      error: body.error,
      timeline,
      auditEntries: chain.checked,
      auditChain: chain.broken ? `BROKEN at ${chain.broken.seq}: ${chain.broken.problem}` : 'verified',
      verdict: !right || chain.broken ? 'WRONG' : totalMs < IMPORT_TARGET_MS ? 'PASS' : 'MISS',
    };
  } finally {
    await stop(worker);
    await stop(api.child);
  }
}

// ---------------------------------------------------------------------------------------------

async function ensureBenchUser(db: pg.Client, email: string, password: string): Promise<'exists' | 'absent'> {
  const found = await db.query('SELECT 1 FROM users WHERE email = $1', [email]);
  if (found.rowCount === 0) return 'absent';
  await db.query('UPDATE users SET password_hash = $2, deactivated_at = NULL WHERE email = $1', [
    email,
    await hashPassword(password),
  ]);
  return 'exists';
}

async function main(): Promise<void> {
  const load = loadavg();
  const database = new URL(DATABASE_URL).pathname.slice(1);
  const db = new pg.Client({ connectionString: DATABASE_URL, application_name: 'bench-api' });
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await db.connect();
  } catch (error) {
    throw new Error(`cannot open ${database} (${(error as Error).message}): run npm run bench:seed first`, {
      cause: error,
    });
  }
  const counts: Record<string, number> = {};
  for (const table of ['persons', 'person_names', 'custody_events', 'cases', 'case_charges', 'hearings', 'users']) {
    counts[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  }
  if (counts.persons! === 0) throw new Error(`${database} has no persons: run npm run bench:seed first`);

  const password = `bench-${randomBytes(18).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_ENCRYPTION_KEY: generateKeyEntry('bench'),
    ADMIN_EMAIL,
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
    WORKER_HEALTH_PORT: '0',
    DATABASE_POOL_SIZE: String(POOL_SIZE),
  };
  // The first admin is created by the API at start-up while there are no users; later runs set its password.
  const adminState = await ensureBenchUser(db, ADMIN_EMAIL, password);
  if (adminState === 'absent' && counts.users! > 0) {
    throw new Error(`${database} has users but no ${ADMIN_EMAIL}: run the benchmark on a database of bench:seed`);
  }
  const editorState = ROLE === 'editor' ? await ensureBenchUser(db, EDITOR_EMAIL, password) : 'absent';

  let cleaning: Promise<void> | undefined;
  const target = new URL(DATABASE_URL);
  const port = Number(target.port || 5432);
  const host = decodeURIComponent(target.hostname || 'localhost');
  // A host starting with `/` is the directory of PostgreSQL's Unix socket (`postgres://u@%2Fvar%2Frun%2Fpostgresql/db`).
  const capture = new WireCapture(host.startsWith('/') ? { path: `${host}/.s.PGSQL.${port}` } : { host, port });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_SIZE, application_name: 'bench-api-sql' });
  const stopAndDrop = async () => {
    await Promise.all([...children].map((c) => stop(c)));
    await capture.close();
    await pool.end().catch(() => undefined);
    await db.end().catch(() => undefined);
    if (KEEP_DATABASE) console.error(`kept ${importDatabase} (if created)`);
    else await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(importDatabase)} WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
  // Once, whoever asks first (a signal or the end of main); everyone waits for the same run, so
  // that main's failure after a signal stopped the children does not exit before the drop.
  const cleanup = () => (cleaning ??= stopAndDrop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    console.error(
      `API benchmark on ${database}: ${JSON.stringify(counts)}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
    );
    const scenarios = await pickParameters(db);

    // 1. Capture: the API behind the recording proxy, one request at a time.
    const proxyPort = await capture.listen();
    const proxied = new URL(DATABASE_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxyPort);
    let api = await startApi(proxied.toString(), env);
    const adminToken = await login(api.base, ADMIN_EMAIL, password);
    let token = adminToken;
    if (ROLE === 'editor') {
      if (editorState === 'absent') {
        const res = await fetch(`${api.base}/api/v1/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email: EDITOR_EMAIL, displayName: 'Bench editor', role: 'editor', password }),
        });
        if (!res.ok) throw new Error(`creating the bench editor: ${res.status} ${await res.text()}`);
      }
      token = await login(api.base, EDITOR_EMAIL, password);
    }
    await checkScenarios(api.base, token, scenarios);
    await captureTraces(api.base, token, capture, scenarios);
    await stop(api.child);
    await capture.close();

    // 2. Load: the API connected directly, then the same statements on a pool.
    api = await startApi(DATABASE_URL, env);
    token = await login(api.base, ROLE === 'editor' ? EDITOR_EMAIL : ADMIN_EMAIL, password);
    const rows: Row[] = [];
    const active = scenarios.filter((s) => !s.skipped);
    for (const s of active) {
      rows.push(await measure(api, token, pool, s, CONNECTIONS, DURATION, true));
      if (SINGLE && CONNECTIONS !== 1) rows.push(await measure(api, token, pool, s, 1, DURATION, false));
      if (s.kinds) {
        for (const kind of SEARCH_KINDS) {
          const picked = s.paths.flatMap((p, i) => (s.kinds![i] === kind ? [i] : []));
          rows.push(
            await measure(
              api,
              token,
              pool,
              {
                name: `search/${kind}`,
                title: `Name search, ${kind}`,
                target: null,
                paths: picked.map((i) => s.paths[i]!),
                traces: picked.map((i) => s.traces[i]!),
              },
              1,
              KIND_DURATION,
              false,
            ),
          );
        }
      }
    }
    await stop(api.child);

    // 3. Plans, warm.
    const plans: string[] = [
      `EXPLAIN (ANALYZE, BUFFERS) of the statements the API sent for one request of each scenario`,
      `(captured at the wire, run again here with the same values). Database ${database}: ${JSON.stringify(counts)}.`,
      `Reader: ${ROLE}. ${new Date().toISOString()}.`,
    ];
    const seqScans: SeqScan[] = [];
    for (const s of active) {
      // The request with the most statements (a person with cases, say), of each spelling for the search.
      const richest = (indexes: number[]) =>
        indexes.reduce((best, i) => (statementCount(s.traces[i]!) > statementCount(s.traces[best]!) ? i : best));
      const all = s.paths.map((_, i) => i);
      for (const kind of s.kinds ? SEARCH_KINDS : [null]) {
        const i = richest(kind ? all.filter((j) => s.kinds![j] === kind) : all);
        await explainTrace(db, kind ? `${s.name}/${kind}` : s.name, s.paths[i]!, s.traces[i]!, plans, seqScans);
      }
    }
    const large = seqScans.filter((x) => x.rows >= LARGE_SCAN_ROWS);
    plans.splice(
      3,
      0,
      seqScans.length === 0
        ? 'Seq Scans: none.'
        : `Seq Scans (${large.length} reading ${LARGE_SCAN_ROWS} rows or more):\n` +
            seqScans.map((x) => `  ${x.scenario}: ${x.rows} rows read: ${x.line}`).join('\n'),
    );
    if (active.length > 0) writeFileSync(PLANS_FILE, `${plans.join('\n')}\n`);
    if (active.length > 0) {
      console.error(
        `plans written to ${PLANS_FILE}; Seq Scans: ${seqScans.length}, ${large.length} reading ${LARGE_SCAN_ROWS} rows or more` +
          large.map((x) => `\n  ${x.scenario}: ${x.table}, ${x.rows} rows`).join(''),
      );
    }

    // 4. The import, into a copy of the database.
    await pool.end();
    await db.end();
    let imported: ImportResult | string = 'skipped (BENCH_IMPORT_ROWS=0)';
    if (IMPORT_ROWS > 0) {
      imported = await importBenchmark(admin, database, env, password);
      if (typeof imported === 'string') console.error(`SKIP import: ${imported}`);
      else
        console.error(`import of ${IMPORT_ROWS} rows: ${(imported.totalMs / 1000).toFixed(1)} s ${imported.verdict}`);
    }

    // Report.
    console.log();
    const head = [
      'scenario',
      'c',
      'API p50',
      'API p95',
      'API p99',
      'API req/s',
      'SQL p50',
      'SQL p95',
      'SQL req/s',
      'stmts',
      'ratio p50',
      'ratio p95',
      'target',
      'latency',
      'ratio',
    ];
    console.log(head.join('\t'));
    for (const r of rows) {
      console.log(
        [
          r.scenario,
          r.connections,
          r.api.p50,
          r.api.p95,
          r.api.p99,
          r.api.perSecond,
          r.sql.p50,
          r.sql.p95,
          r.sql.perSecond,
          r.statements,
          r.ratioP50,
          r.ratioP95,
          r.target ?? '',
          r.latency,
          r.ratio,
        ].join('\t'),
      );
    }
    for (const s of scenarios.filter((x) => x.skipped)) console.log(`SKIP ${s.name}: ${s.skipped}`);
    console.log();
    console.log(
      JSON.stringify(
        {
          machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model,
            memoryGiB: Math.round(totalmem() / 2 ** 30),
            node: process.version,
            loadAverageAtStart: load,
            loadAverageAtEnd: loadavg(),
          },
          database,
          counts,
          role: ROLE,
          connections: CONNECTIONS,
          durationSeconds: DURATION,
          warmupSeconds: WARMUP,
          poolSize: POOL_SIZE,
          rows,
          skipped: scenarios.filter((x) => x.skipped).map((x) => ({ scenario: x.name, reason: x.skipped })),
          seqScans,
          import: imported,
        },
        null,
        2,
      ),
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
