/**
 * `npm run bench:exports`: wall time and peak memory of a campaign list of 500 persons exported as
 * PDF and as XLSX (targets: under 10 s and under 300 MB each), the ratio of export time to the
 * time of the database queries it needs, and whether memory stays flat as the list grows.
 *
 * It creates a scratch database (migrated) with its own encryption key and queue prefix, seeds
 * BENCH_PERSONS persons of Kazakhstan through the real services (bench/exports-seed.ts), and runs
 * each export in a fresh process (`--measure <format>`, bench/exports-measure.ts) so that one
 * run's peak memory is not that of seeding or of another run: PDF and XLSX, and for information
 * CSV, HTML, JSON, DOCX and `data` (the list built and read, nothing rendered). Then it seeds up
 * to BENCH_SCALE_PERSONS persons and measures every format again. The database and the
 * queue prefix's Redis keys are removed at the end, also on failure or interruption.
 *
 * Exits non-zero only on errors; a missed target is reported as MISS.
 * Environment: BENCH_PERSONS (500), BENCH_SCALE_PERSONS (2500; 0 skips the second size),
 * BENCH_FORMATS (pdf,xlsx,csv,html,json,docx,data), BENCH_SEED_CONCURRENCY (4), BENCH_WARM (1:
 * also time a second, warm export in the same process), BENCH_OUTPUT_DIR (keep the files there),
 * BENCH_NODE_OPTIONS (flags for the measuring processes, e.g. --max-old-space-size=256),
 * BENCH_KEEP_DATABASE (1: do not drop the database, for measuring by hand with `--measure`),
 * DATABASE_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL, DATABASE_POOL_SIZE.
 */
import 'reflect-metadata';
import { AppConfig, validateEnvironment } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { generateKeyEntry } from '#encryption';
import type { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { MeasuredFormat, Measurement } from './exports-measure.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 500);
const SCALE_PERSONS = Number(process.env.BENCH_SCALE_PERSONS ?? 2500);
const FORMATS = (process.env.BENCH_FORMATS ?? 'pdf,xlsx,csv,html,json,docx,data').split(',') as MeasuredFormat[];
/** Extra flags for the measuring Node processes, e.g. `--max-old-space-size=256`. */
const NODE_FLAGS = (process.env.BENCH_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 4);
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** For profiling by hand: leave the seeded database in place (and say how to measure against it). */
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
const TARGET = { wallMs: 10_000, rssMB: 300 };

const run = `${Date.now().toString(36)}_${process.pid}`;
const database = `case_tracker_bench_exports_${run}`;
const prefix = `case-tracker-bench-exports-${run}`;

interface Row extends Measurement {
  persons: number;
  /** Peak RSS: the higher of the sampled peak and the kernel's maxRSS. */
  peakRssMB: number;
  ratio: number;
}

let child: ChildProcess | undefined;

/** Runs one measurement in a fresh Node process with the benchmark's environment. */
function measureInChild(format: MeasuredFormat, env: NodeJS.ProcessEnv): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', ...NODE_FLAGS, process.argv[1]!, '--measure', format], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    let stdout = '';
    proc.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      child = undefined;
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`measuring ${format} failed (exit ${code ?? signal}): ${stdout.trim()}`));
        return;
      }
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as Measurement);
    });
  });
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const pad = (text: string | number, width: number) => String(text).padStart(width);

function printTable(rows: Row[]): void {
  const header = [
    ['persons', 7],
    ['format', 6],
    ['wall s', 7],
    ['query s', 7],
    ['db s', 5],
    ['ratio', 6],
    ['stmts', 5],
    ['cpu s', 6],
    ['bytes', 10],
    ['pages', 5],
    ['base MB', 7],
    ['peak MB', 7],
    ['+MB', 6],
    ['heap MB', 7],
    ['warm s', 6],
    ['valid', 5],
  ] as const;
  console.log(header.map(([name, width]) => pad(name, width)).join(' '));
  for (const r of rows) {
    const cells = [
      r.persons,
      r.format,
      seconds(r.wallMs),
      seconds(r.queryMs),
      seconds(r.driverMs),
      r.ratio.toFixed(1),
      r.queries,
      seconds(r.cpuUserMs + r.cpuSystemMs),
      r.bytes,
      r.pages ?? '',
      r.baseline.rssMB.toFixed(0),
      r.peakRssMB.toFixed(0),
      (r.peakRssMB - r.baseline.rssMB).toFixed(0),
      r.peak.heapUsedMB.toFixed(0),
      r.warm ? seconds(r.warm.wallMs) : '',
      r.valid ? 'yes' : 'NO',
    ];
    console.log(cells.map((cell, i) => pad(cell, header[i]![1])).join(' '));
  }
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_ENCRYPTION_KEY: generateKeyEntry('bench'),
    LOG_LEVEL: 'warn',
  };
  // The seeding application context reads its configuration from process.env, like the apps.
  Object.assign(process.env, env);

  let app: INestApplicationContext | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    child?.kill('SIGKILL');
    await app?.close().catch(() => undefined);
    if (KEEP_DATABASE) {
      console.error(
        `kept ${database}; measure by hand with: DATABASE_URL=${env.DATABASE_URL} QUEUE_PREFIX=${prefix} ` +
          `DATA_ENCRYPTION_KEY=${env.DATA_ENCRYPTION_KEY} node --expose-gc dist/bench/exports.js --measure pdf`,
      );
    } else {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    }
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

  try {
    const { MIGRATIONS } = await import('#migrations');
    const migrator = new DataSource(
      dataSourceOptions(new AppConfig(validateEnvironment(env)), { migrations: MIGRATIONS }),
    );
    await migrator.initialize();
    await runMigrationsLocked(migrator);
    await migrator.destroy();

    const { NestFactory } = await import('@nestjs/core');
    const { BenchSeedModule, BenchSeeder } = await import('./exports-seed.js');
    app = await NestFactory.createApplicationContext(BenchSeedModule, { logger: ['error', 'warn'] });
    const db = app.get(DataSource);
    const seeder = new BenchSeeder(app);
    const rows: Row[] = [];
    const seeding: Array<{ persons: number; seconds: number }> = [];

    const seedTo = async (persons: number) => {
      const started = performance.now();
      await seeder.seed(persons - seeder.counts.persons, SEED_CONCURRENCY);
      // What autovacuum would have done on a live database: planner statistics for the new rows.
      await db.query('ANALYZE');
      const took = (performance.now() - started) / 1000;
      seeding.push({ persons, seconds: Number(took.toFixed(1)) });
      console.error(`seeded ${persons} persons (${JSON.stringify(seeder.counts)}) in ${took.toFixed(1)} s`);
    };
    const measureAll = async (persons: number, formats: MeasuredFormat[]) => {
      for (const format of formats) {
        const m = await measureInChild(format, env);
        const row: Row = {
          persons,
          ...m,
          peakRssMB: Math.max(m.peak.rssMB, m.peak.maxRssMB),
          ratio: Number((m.wallMs / Math.max(m.queryMs, 1)).toFixed(2)),
        };
        rows.push(row);
        console.error(
          `${persons} ${format}: ${seconds(row.wallMs)} s (queries ${seconds(row.queryMs)} s), ` +
            `peak RSS ${row.peakRssMB} MB, ${row.bytes} bytes${row.valid ? '' : ' INVALID'}`,
        );
      }
    };

    await seedTo(PERSONS);
    await measureAll(PERSONS, FORMATS);
    if (SCALE_PERSONS > PERSONS) {
      await seedTo(SCALE_PERSONS);
      await measureAll(SCALE_PERSONS, FORMATS);
    }

    const find = (persons: number, format: MeasuredFormat) =>
      rows.find((r) => r.persons === persons && r.format === format);
    const targets = (['pdf', 'xlsx'] as const).flatMap((format) => {
      const r = find(PERSONS, format);
      if (!r) return [];
      return [
        {
          target: `${format} ${PERSONS} persons: wall < 10 s`,
          value: `${seconds(r.wallMs)} s`,
          pass: r.wallMs < TARGET.wallMs,
        },
        {
          target: `${format} ${PERSONS} persons: peak RSS < 300 MB`,
          value: `${r.peakRssMB} MB`,
          pass: r.peakRssMB < TARGET.rssMB,
        },
      ];
    });
    const flatness = FORMATS.flatMap((format) => {
      const small = find(PERSONS, format);
      const large = find(SCALE_PERSONS, format);
      if (!small || !large) return [];
      return [
        {
          format,
          persons: [PERSONS, SCALE_PERSONS],
          wallRatio: Number((large.wallMs / small.wallMs).toFixed(2)),
          peakRssMB: [small.peakRssMB, large.peakRssMB],
          growthAboveBaselineMB: [
            Number((small.peakRssMB - small.baseline.rssMB).toFixed(1)),
            Number((large.peakRssMB - large.baseline.rssMB).toFixed(1)),
          ],
          peakHeapMB: [small.peak.heapUsedMB, large.peak.heapUsedMB],
        },
      ];
    });
    const invalid = rows.filter((r) => !r.valid);

    console.log();
    printTable(rows);
    console.log();
    for (const t of targets) console.log(`${t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.value}`);
    for (const f of flatness) {
      console.log(
        `flat  ${f.format}: ${f.persons.join(' -> ')} persons: time x${f.wallRatio}, ` +
          `peak RSS ${f.peakRssMB.join(' -> ')} MB (above baseline ${f.growthAboveBaselineMB.join(' -> ')} MB)`,
      );
    }
    console.log();
    console.log(
      JSON.stringify(
        {
          machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model,
            memoryGiB: Math.round(totalmem() / 2 ** 30),
            node: process.version,
            postgres: ((await db.query('SHOW server_version')) as Array<{ server_version: string }>)[0]!.server_version,
          },
          nodeFlags: NODE_FLAGS,
          persons: PERSONS,
          scalePersons: SCALE_PERSONS > PERSONS ? SCALE_PERSONS : null,
          seeded: seeder.counts,
          seeding,
          results: rows,
          targets,
          flatness,
        },
        null,
        2,
      ),
    );
    if (invalid.length > 0)
      throw new Error(`invalid output: ${invalid.map((r) => `${r.persons} ${r.format}`).join(', ')}`);
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === '--measure') {
  const { measure } = await import('./exports-measure.js');
  try {
    const result = await measure(process.argv[3] as MeasuredFormat, process.env.BENCH_OUTPUT_DIR || null);
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
