import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { createScratchDatabase } from './scratch-database.js';
import { createTestApp, overrideEnvironment, type TestApp, type TestAppOptions } from './test-app.js';

/** The API and a worker that share a database and queues no other test file uses. */
export interface AppWithWorker {
  t: TestApp;
  worker: TestingModule;
  /** Stops both, drops the database, deletes the queues' Redis keys and restores the environment. */
  close(): Promise<void>;
}

/**
 * Starts the API and a worker on a scratch database and a queue prefix of their own (`purpose`
 * names both), for tests that count rows exactly or need the worker to take every job of its
 * queues. `DATABASE_URL` and `QUEUE_PREFIX` point at them, and `options.env` applies to both
 * API and worker, until `close`.
 */
export async function startAppWithWorker(purpose: string, options: TestAppOptions = {}): Promise<AppWithWorker> {
  const prefix = `${process.env.QUEUE_PREFIX}-${purpose}`;
  const scratch = await createScratchDatabase(purpose);
  const restoreEnvironment = overrideEnvironment({ ...options.env, DATABASE_URL: scratch.url, QUEUE_PREFIX: prefix });
  const t = await createTestApp();
  const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
  await worker.init();
  return {
    t,
    worker,
    close: async () => {
      await worker.close();
      await t.close();
      restoreEnvironment();
      await scratch.drop();
      await deleteQueueKeys(prefix);
    },
  };
}

/** Deletes every Redis key of the queues under `prefix` (a test's own `QUEUE_PREFIX`). */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
