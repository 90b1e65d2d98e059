/**
 * `npm run bench:imports`: wall time of importing a generated CSV of BENCH_ROWS (100,000) rows
 * through the real API and worker (target: under 2 minutes), each row a person with a Latin and a
 * Cyrillic name and two other spellings, a year of birth, a custody event, a case with two
 * charges and a hearing in court time: four records (and four audit entries) per row. Then the
 * same file again (nothing changes) and a dry run of it; with BENCH_SECOND_FILE=1 also a second
 * file of as many new persons into the filled database, whose duplicate check makes one name
 * search per row against BENCH_ROWS stored persons. Every import must finish `done` with the
 * expected counts, and the audit chain must verify.
 *
 * It creates a scratch database (migrated) with its own encryption key, first admin and queue
 * prefix, starts the API (on a free port) and the worker in this process, and uploads with
 * `fetch` as a client would. The database and the prefix's Redis keys are removed at the end,
 * also on failure or interruption. Exits non-zero on errors; a missed target is reported as MISS.
 * Environment: BENCH_ROWS (100000), BENCH_SECOND_FILE (0; 1: also import a second file of new
 * persons), DATABASE_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL,
 * DATABASE_POOL_SIZE, BENCH_KEEP_DATABASE (1: keep it).
 */
import 'reflect-metadata';
import { AppConfig, validateEnvironment } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { generateKeyEntry } from '#encryption';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SECOND_FILE = process.env.BENCH_SECOND_FILE === '1';
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
const TARGET_MS = 120_000;

const run = `${Date.now().toString(36)}_${process.pid}`;
const database = `case_tracker_bench_imports_${run}`;
const prefix = `case-tracker-bench-imports-${run}`;

const FIRST = ['Zhanbolat', 'Aigul', 'Serik', 'Dana', 'Marat', 'Gulnara', 'Askar', 'Yerlan', 'Makhambet', 'Nurlan'];
const FIRST_CYRILLIC = [
  'Жанболат',
  'Айгуль',
  'Серик',
  'Дана',
  'Марат',
  'Гульнара',
  'Аскар',
  'Ерлан',
  'Махамбет',
  'Нурлан',
];
/** Syllables whose folded search keys differ, so that every generated surname is a different person. */
const SYLLABLES = ['ba', 'ka', 'ta', 'ma', 'na', 'la', 'ra', 'da', 'pa', 'fa'];
const SYLLABLES_CYRILLIC = ['ба', 'ка', 'та', 'ма', 'на', 'ла', 'ра', 'да', 'па', 'фа'];
const STATUSES = ['arrested', 'pretrial-detention', 'house-arrest', 'imprisoned', 'restricted-freedom'];
const STAGES = ['investigation', 'awaiting-trial', 'trial', 'verdict', 'appeal'];

/** A surname unique to `n`: its digits written as syllables. */
function surname(n: number, syllables: string[]): string {
  const digits = String(n).padStart(6, '0').split('').map(Number);
  const word = digits.map((d) => syllables[d]).join('');
  return `${word[0]!.toUpperCase()}${word.slice(1)}`;
}

/** BENCH_ROWS rows of persons `offset`..: `,` between cells, `;` within lists. */
function generateCsv(offset: number): Buffer {
  const year = new Date().getUTCFullYear() + 1;
  const lines = [
    'external_id,name,name_cyrillic,other_names,birth_year,country,custody_status,custody_since,place,case_title,charges,stage,next_hearing_at,hearing_time_zone,court,visibility',
  ];
  for (let i = 0; i < ROWS; i += 1) {
    const n = offset + i;
    const latin = `${FIRST[n % 10]} ${surname(n, SYLLABLES)}ov`;
    const cyrillic = `${FIRST_CYRILLIC[n % 10]} ${surname(n, SYLLABLES_CYRILLIC)}ов`;
    const month = String((n % 12) + 1).padStart(2, '0');
    const day = String((n % 28) + 1).padStart(2, '0');
    lines.push(
      [
        `bench-${n}`,
        latin,
        cyrillic,
        `${latin.replace('Zh', 'J')}; ${latin.replace(/ov$/, 'off')}`,
        String(1950 + (n % 50)),
        'KZ',
        STATUSES[n % STATUSES.length],
        n % 3 === 0 ? `~2022-${month}` : `2022-${month}-${day}`,
        'Almaty',
        `Case of ${latin}`,
        '"spreading knowingly false information; organising mass unrest"',
        STAGES[n % STAGES.length],
        `${year}-${month}-${day}T10:00`,
        'Asia/Almaty',
        'Almaty City Court',
        n % 4 === 0 ? 'public' : 'internal',
      ].join(','),
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

interface ImportBody {
  id: string;
  status: string;
  error: string | null;
  rowsRead: number;
  report: {
    rows: number;
    imported: number;
    unchanged: number;
    created: Record<string, number>;
    updated: Record<string, number>;
    duplicateCount: number;
    errorCount: number;
  } | null;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const password = `bench-${randomBytes(18).toString('base64url')}`;
  Object.assign(process.env, {
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_ENCRYPTION_KEY: generateKeyEntry('bench'),
    ADMIN_EMAIL: 'bench-admin@example.org',
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
    WORKER_HEALTH_PORT: '0',
    PORT: '0',
  });

  let api: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await worker?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    if (KEEP_DATABASE) console.error(`kept ${database}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: dropping ${database}`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  let failures = 0;
  try {
    const { MIGRATIONS } = await import('#migrations');
    const migrator = new DataSource(
      dataSourceOptions(new AppConfig(validateEnvironment(process.env)), { migrations: MIGRATIONS }),
    );
    await migrator.initialize();
    await runMigrationsLocked(migrator);
    await migrator.destroy();

    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../apps/api/src/app.module.js');
    const { configureApp } = await import('../apps/api/src/setup.js');
    const { WorkerModule } = await import('../apps/worker/src/worker.module.js');
    const { verifyAuditChain } = await import('#audit');
    api = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true });
    configureApp(api as never);
    await api.listen(0, '127.0.0.1');
    const base = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
    await worker.init();
    const db = api.get(DataSource);

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench-admin@example.org', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };

    const importFile = async (label: string, file: Buffer, dryRun = false) => {
      const started = performance.now();
      const form = new FormData();
      form.set('file', new Blob([file], { type: 'text/csv' }), `${label}.csv`);
      if (dryRun) form.set('dryRun', 'true');
      const res = await fetch(`${base}/api/v1/imports`, { method: 'POST', headers: auth, body: form });
      const accepted = performance.now();
      const created = (await res.json()) as ImportBody;
      if (res.status !== 202) throw new Error(`${label}: ${res.status} ${JSON.stringify(created)}`);
      let body: ImportBody;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        body = (await (await fetch(`${base}/api/v1/imports/${created.id}`, { headers: auth })).json()) as ImportBody;
        if (body.status === 'done' || body.status === 'failed') break;
      }
      const total = performance.now() - started;
      return { body, uploadMs: accepted - started, totalMs: total };
    };

    console.log(
      `imports benchmark: ${ROWS} rows per file; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
        `${(totalmem() / 2 ** 30).toFixed(0)} GB; Node ${process.version}`,
    );
    const first = generateCsv(0);
    console.log(`file: ${(first.length / 2 ** 20).toFixed(1)} MB`);
    const report = (
      label: string,
      result: Awaited<ReturnType<typeof importFile>>,
      check: (body: ImportBody) => boolean,
      target = true,
    ) => {
      const ok = result.body.status === 'done' && check(result.body);
      const verdict = !ok ? 'WRONG' : !target ? '' : result.totalMs < TARGET_MS ? 'OK' : 'MISS';
      if (!ok) failures += 1;
      console.log(
        `${label.padEnd(34)} ${seconds(result.totalMs).padStart(8)} (upload and checks ${seconds(result.uploadMs)}) ` +
          `${verdict} ${JSON.stringify(result.body.report && { created: result.body.report.created, updated: result.body.report.updated, unchanged: result.body.report.unchanged, duplicates: result.body.report.duplicateCount, errors: result.body.report.errorCount })}` +
          (result.body.error ? ` error: ${result.body.error}` : ''),
      );
    };
    const all = (b: ImportBody, n: number) =>
      b.report?.created.persons === n && b.report.created.hearings === n && b.report.errorCount === 0;

    report('import (empty database)', await importFile('first', first), (b) => all(b, ROWS));
    report('same file again (no change)', await importFile('first-again', first), (b) => b.report?.unchanged === ROWS);
    report('dry run of it', await importFile('first-dry', first, true), (b) => b.report?.unchanged === ROWS, false);
    if (SECOND_FILE) {
      report(`new persons into ${ROWS} persons`, await importFile('second', generateCsv(ROWS)), (b) => all(b, ROWS));
    }
    const verifyStarted = performance.now();
    const chain = await verifyAuditChain(db);
    console.log(
      `audit chain: ${chain.checked} entries, ${chain.broken ? `BROKEN at ${chain.broken.seq}` : 'verified'} in ` +
        seconds(performance.now() - verifyStarted),
    );
    if (chain.broken) failures += 1;
  } finally {
    await cleanup();
  }
  if (failures > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
