import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { deleteQueueKeys } from './support/app-with-worker.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { migrateTestDatabase } from './support/test-app.js';

describe('worker process', () => {
  const port = 39_000 + (process.pid % 1000);
  let worker: TestingModule | undefined;
  let scratch: ScratchDatabase;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, QUEUE_PREFIX: process.env.QUEUE_PREFIX };
  const prefix = `${process.env.QUEUE_PREFIX}-worker`;

  beforeAll(async () => {
    // A database and queues of its own: the worker delivers (and reconciles) every reminder of its
    // database and takes every job of its queues, and other files' reminders are theirs to watch.
    scratch = await createScratchDatabase('worker');
    process.env.DATABASE_URL = scratch.url;
    process.env.QUEUE_PREFIX = prefix;
    await migrateTestDatabase();
    process.env.WORKER_HEALTH_PORT = String(port);
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
  });
  afterAll(async () => {
    // Closed by the last test; not when it failed earlier or was not run.
    await worker?.close();
    process.env.WORKER_HEALTH_PORT = '0';
    process.env.DATABASE_URL = saved.DATABASE_URL;
    process.env.QUEUE_PREFIX = saved.QUEUE_PREFIX;
    await scratch.drop();
    await deleteQueueKeys(prefix);
  });

  it('connects to PostgreSQL and Redis and reports healthy', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });

  it('shuts down gracefully: the health endpoint closes and connections are released', async () => {
    await worker!.close();
    worker = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
