import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { migrateTestDatabase } from './support/test-app.js';

describe('worker process', () => {
  const port = 39_000 + (process.pid % 1000);
  let worker: TestingModule;

  beforeAll(async () => {
    await migrateTestDatabase();
    process.env.WORKER_HEALTH_PORT = String(port);
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
  });
  afterAll(async () => {
    process.env.WORKER_HEALTH_PORT = '0';
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
    await worker.close();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
