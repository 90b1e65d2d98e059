import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '#migrations';
import type { MigrationInterface } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is exactly what the entities describe once the migrations are applied (no missing migration)', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('records every applied migration, and the application never synchronises the schema', async () => {
    const applied = (await t.dataSource.query('SELECT name FROM schema_migrations ORDER BY id')) as Array<{
      name: string;
    }>;
    const listed = MIGRATIONS.map((M) => new (M as new () => MigrationInterface)().name);
    expect(applied.map((m) => m.name)).toEqual(listed);
    expect(t.dataSource.options.synchronize).toBe(false);
  });
});
