/**
 * `npm run bench:reminders`: how late 10,000 reminders due within the same minute are delivered,
 * and how the delivery pipeline's throughput compares with raw BullMQ processing no-op jobs on
 * the same Redis, in the same run.
 *
 * It creates a scratch database (migrated) and its own Redis key prefix, starts real worker
 * processes (`dist/apps/worker/src/main.js`) that deliver to a webhook served by this process,
 * and removes both at the end. Phases:
 *   1. raw BullMQ: 10,000 no-op jobs through a Worker with the same concurrency;
 *   2. pipeline throughput: 10,000 reminders all due now;
 *   3. lateness: 10,000 reminders due spread over one minute.
 * The workers deliver a few reminders before phase 2 starts, so that their start-up (Nest,
 * connections) is not counted as delivery time.
 * Environment: DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL, BENCH_REMINDERS (default 10000), WORKER_CONCURRENCY (default 50), BENCH_WORKERS
 * (worker processes, default 1; the raw BullMQ reference is always one), BENCH_NODE_OPTIONS
 * (flags for the worker processes, e.g. --cpu-prof).
 */
import 'reflect-metadata';
import { DELIVERY_QUEUE, type DeliveryJob, deliveryJobId } from '#alerts';
import { nameKey } from '#case-files';
import { AppConfig, validateEnvironment } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { generateKeyEntry, Keyring, parseKeyring } from '#encryption';
import { MIGRATIONS } from '#migrations';
import { redisOptionsFromUrl } from '#queue';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';

const COUNT = Number(process.env.BENCH_REMINDERS ?? 10_000);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 50);
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_FLAGS = (process.env.BENCH_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const run = `${Date.now().toString(36)}_${process.pid}`;
const database = `case_tracker_bench_${run}`;
const prefix = `case-tracker-bench-${run}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Receives webhook deliveries and remembers when each reminder (by Idempotency-Key) arrived. */
function webhookSink(): Promise<{ server: Server; url: string; arrivals: Map<string, number[]> }> {
  const arrivals = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key'] ?? '');
    req.resume();
    req.on('end', () => {
      const at = Date.now();
      arrivals.set(key, [...(arrivals.get(key) ?? []), at]);
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}/hook`, arrivals });
    }),
  );
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const keyEntry = generateKeyEntry('bench');
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_ENCRYPTION_KEY: keyEntry,
    WORKER_HEALTH_PORT: '0',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
    // The phases are seconds apart: the reconciler must not be what delivers them.
    RECONCILE_INTERVAL_SECONDS: '3600',
    // The webhook sink listens on 127.0.0.1, which webhooks may not reach by default.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
  };
  const dataSource = new DataSource(
    dataSourceOptions(new AppConfig(validateEnvironment(env)), { migrations: MIGRATIONS }),
  );
  const sink = await webhookSink();
  const connection = redisOptionsFromUrl(REDIS_URL);
  const workers: ChildProcess[] = [];
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    const keyring = new Keyring(parseKeyring(keyEntry));
    const ids = await fixtures(dataSource, keyring, sink.url);

    // 1. Raw BullMQ: no-op jobs, same Redis, same concurrency.
    const raw = new Queue('bench-noop', { connection, prefix });
    await raw.addBulk(
      Array.from({ length: COUNT }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })),
    );
    let done = 0;
    const rawStart = performance.now();
    const rawWorker = new Worker('bench-noop', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
    rawWorker.on('completed', () => (done += 1));
    await until(() => done >= COUNT, 300_000);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    await rawWorker.close();
    await raw.obliterate({ force: true });
    await raw.close();

    // The real worker processes.
    for (let i = 0; i < WORKERS; i += 1) {
      workers.push(
        spawn(process.execPath, [...WORKER_FLAGS, 'dist/apps/worker/src/main.js'], {
          env,
          stdio: ['ignore', 'inherit', 'inherit'],
        }),
      );
    }
    const deliveries = new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection, prefix });
    const warmUp = new Date();
    const warm = await reminders(dataSource, ids, 20 * WORKERS, () => warmUp, 'warm-up');
    await enqueue(
      deliveries,
      warm.map((id) => ({ id, dueAt: warmUp })),
    );
    await until(() => warm.every((id) => sink.arrivals.has(id)), 60_000);
    // Every worker up: BullMQ names each worker's Redis connection.
    const deadline = Date.now() + 60_000;
    while ((await deliveries.getWorkersCount()) < WORKERS) {
      if (Date.now() > deadline) throw new Error(`fewer than ${WORKERS} workers started within a minute`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // 2. Pipeline throughput: every reminder due now.
    const now = new Date();
    const batch1 = await reminders(dataSource, ids, COUNT, () => now, 'throughput');
    const start = Date.now();
    await enqueue(
      deliveries,
      batch1.map((id) => ({ id, dueAt: now })),
    );
    await until(() => batch1.every((id) => sink.arrivals.has(id)), 600_000);
    const firstArrival = Math.min(...batch1.map((id) => sink.arrivals.get(id)![0]!));
    const lastArrival = Math.max(...batch1.map((id) => sink.arrivals.get(id)![0]!));
    const pipelineSeconds = (lastArrival - Math.min(start, firstArrival)) / 1000;

    // 3. Lateness: due spread evenly over one minute, starting 15 s from now.
    const t0 = Date.now() + 15_000;
    const due = (i: number) => new Date(t0 + Math.floor((i * 60_000) / COUNT));
    const batch2 = await reminders(dataSource, ids, COUNT, due, 'lateness');
    await enqueue(
      deliveries,
      batch2.map((id, i) => ({ id, dueAt: due(i) })),
    );
    await until(() => batch2.every((id) => sink.arrivals.has(id)), 600_000);
    const lateness = batch2
      .map((id, i) => (sink.arrivals.get(id)![0]! - due(i).getTime()) / 1000)
      .sort((a, b) => a - b);
    const duplicates = [...batch1, ...batch2].filter((id) => sink.arrivals.get(id)!.length > 1).length;
    await deliveries.close();

    const report = {
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      reminders: COUNT,
      workers: WORKERS,
      concurrency: CONCURRENCY,
      rawBullmqJobsPerSecond: Math.round(COUNT / rawSeconds),
      pipelineDeliveriesPerSecond: Math.round(COUNT / pipelineSeconds),
      ratio: Number((COUNT / pipelineSeconds / (COUNT / rawSeconds)).toFixed(2)),
      latenessSeconds: { p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: lateness.at(-1) },
      duplicates,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await Promise.all(
      workers.map((worker) => {
        const exited = new Promise((r) => worker.once('exit', r));
        worker.kill('SIGTERM');
        return exited;
      }),
    );
    sink.server.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(connection);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}

interface FixtureIds {
  advocateId: string;
  subscriptionId: string;
  caseId: string;
  hearingId: string;
}

/** One person, case and hearing, and one advocate following the case by webhook. */
async function fixtures(dataSource: DataSource, keyring: Keyring, webhookUrl: string): Promise<FixtureIds> {
  const one = async (sql: string, params: unknown[]) =>
    ((await dataSource.query(sql, params)) as Array<{ id: string }>)[0]!.id;
  const personId = await one(
    `INSERT INTO persons (display_name, country) VALUES ('Zhanbolat Mamay', 'KZ') RETURNING id`,
    [],
  );
  await dataSource.query(
    `INSERT INTO person_names (person_id, value, search_key, script, preferred, position) VALUES ($1, 'Zhanbolat Mamay', $2, 'Latn', true, 0)`,
    [personId, nameKey('Zhanbolat Mamay')],
  );
  const caseId = await one(
    `INSERT INTO cases (title, stage, country) VALUES ('Prosecution of Zhanbolat Mamay', 'trial', 'KZ') RETURNING id`,
    [],
  );
  await dataSource.query(
    `INSERT INTO case_participants (case_id, person_id, role, position) VALUES ($1, $2, 'defendant', 0)`,
    [caseId, personId],
  );
  const hearingId = await one(
    `INSERT INTO hearings (case_id, starts_at, time_zone, court, kind) VALUES ($1, now() + interval '30 days', 'Asia/Almaty', 'Specialised inter-district criminal court of Almaty', 'trial') RETURNING id`,
    [caseId],
  );
  const token = randomBytes(24).toString('base64url');
  const advocateId = await one(
    `INSERT INTO advocates (name, email, language, time_zone, webhook_url, webhook_secret, calendar_token_hash, calendar_token)
     VALUES ('Bench advocate', 'bench@example.org', 'en', 'Europe/Amsterdam', $1, $2, $3, $4) RETURNING id`,
    [
      webhookUrl,
      keyring.encrypt(randomBytes(32).toString('base64url'), 'advocate.webhookSecret'),
      createHash('sha256').update(token).digest('hex'),
      keyring.encrypt(token, 'advocate.calendarToken'),
    ],
  );
  const subscriptionId = await one(
    `INSERT INTO subscriptions (advocate_id, case_id, lead_times, channels, announce, status)
     VALUES ($1, $2, '{PT1H}', '{webhook}', '{}', 'active') RETURNING id`,
    [advocateId, caseId],
  );
  return { advocateId, subscriptionId, caseId, hearingId };
}

/**
 * Inserts `count` scheduled webhook reminders, due at `dueAt(i)`, each its own message (dedupe
 * keys shaped as the planner's, so that delivery claims each message as it does in production).
 */
async function reminders(
  dataSource: DataSource,
  ids: FixtureIds,
  count: number,
  dueAt: (i: number) => Date,
  tag: string,
): Promise<string[]> {
  const rows = (await dataSource.query(
    `INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, lead_time, channel, hearing_id, case_id, due_at,
                            status, hearing_starts_at)
     SELECT 'reminder/' || $2::uuid::text || '/' || $4::uuid::text || '/bench-' || $1 || '-' || i || '/PT1H/webhook', $2, $3, 'reminder',
            'PT1H', 'webhook', $4, $5, d, 'scheduled',
            (SELECT starts_at FROM hearings WHERE id = $4)
       FROM unnest($6::int[], $7::timestamptz[]) AS t(i, d)
     RETURNING id`,
    [
      tag,
      ids.subscriptionId,
      ids.advocateId,
      ids.hearingId,
      ids.caseId,
      Array.from({ length: count }, (_, i) => i),
      Array.from({ length: count }, (_, i) => dueAt(i)),
    ],
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** Adds delivery jobs exactly as the API does (the shared job contract). */
async function enqueue(queue: Queue<DeliveryJob>, rows: Array<{ id: string; dueAt: Date }>): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < rows.length; i += 1000) {
    await queue.addBulk(
      rows.slice(i, i + 1000).map(({ id, dueAt }) => ({
        name: 'deliver',
        data: { reminderId: id, dueAt: dueAt.toISOString() },
        opts: {
          jobId: deliveryJobId(id, dueAt),
          delay: Math.max(0, dueAt.getTime() - now),
          removeOnComplete: true,
          attempts: 3,
        },
      })),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
