// Creates a fresh database and a Redis key prefix for this test run. Migrations are applied
// by the first test app that starts (under the migration advisory lock).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export default async function globalSetup() {
  const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const run = `${Date.now().toString(36)}_${process.pid}`;
  const database = `case_tracker_test_${run}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  process.env.QUEUE_PREFIX = `case-tracker-test-${run}`;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.WORKER_HEALTH_PORT = '0';
  process.env.NODE_ENV = 'test';
  // A key made for this run only, and the first admin of this run's database.
  process.env.DATA_ENCRYPTION_KEY = `test:${randomBytes(32).toString('base64')}`;
  process.env.ADMIN_EMAIL = 'admin@example.org';
  process.env.ADMIN_PASSWORD = `test-admin-${randomBytes(12).toString('base64url')}`;
  // Webhook receivers of the tests listen on 127.0.0.1; the files that test the refusal of private
  // addresses set this to false for their own app (createTestApp's `env`).
  process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
  // Many test files sign in from 127.0.0.1 at once; the rate-limit test lowers these itself.
  process.env.LOGIN_MAX_FAILURES_PER_ADDRESS ??= '1000';
  globalThis.__TEST_RUN__ = { admin: admin.toString(), database, queuePrefix: process.env.QUEUE_PREFIX };
}
