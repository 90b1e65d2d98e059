import { TableStatistics } from '#imports';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { createMigratedScratchDatabase, type MigratedScratchDatabase } from './support/scratch-database.js';

/**
 * Statistics refreshed inside an import's transaction (`TableStatistics`), on a database of its
 * own: what PostgreSQL plans with while the transaction grows the tables, and what happens when
 * another transaction holds the lock ANALYZE needs.
 */
describe('planner statistics during an import', () => {
  let db: MigratedScratchDatabase;

  beforeAll(async () => {
    db = await createMigratedScratchDatabase('import_statistics');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function inTransaction(work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  const insertCases = (runner: QueryRunner, count: number) =>
    runner.query(
      `INSERT INTO cases (title, stage, country) SELECT 'Case ' || i, 'trial', 'KZ' FROM generate_series(1, $1) AS i`,
      [count],
    );
  const estimatedCases = async (runner: QueryRunner) =>
    Number(
      (
        (await runner.query(`SELECT reltuples FROM pg_class WHERE oid = 'cases'::regclass`)) as Array<{
          reltuples: number;
        }>
      )[0]!.reltuples,
    );

  it('analyses the growing tables within the transaction, each time the records created have doubled', async () => {
    await inTransaction(async (runner) => {
      const statistics = new TableStatistics(runner.manager, 100);
      await insertCases(runner, 50);
      expect(await statistics.afterBatch(50)).toBe('not-yet');
      await insertCases(runner, 70);
      expect(await statistics.afterBatch(120)).toBe('analysed');
      // The transaction's planner now knows its own uncommitted rows.
      expect(await estimatedCases(runner)).toBe(120);
      await insertCases(runner, 100);
      expect(await statistics.afterBatch(220)).toBe('not-yet');
      await insertCases(runner, 30);
      expect(await statistics.afterBatch(250)).toBe('analysed');
      expect(await estimatedCases(runner)).toBe(250);
      // The import's own lock timeout is back as it was.
      const [{ lock_timeout }] = (await runner.query(
        `SELECT current_setting('lock_timeout') AS lock_timeout`,
      )) as Array<{
        lock_timeout: string;
      }>;
      expect(lock_timeout).toBe('0');
    });
  });

  it('goes on without when a concurrent import holds the tables, and its transaction stays usable', async () => {
    await inTransaction(async (other) => {
      // Another import has analysed the tables in its transaction: it holds their lock until it ends.
      await other.query('ANALYZE cases');
      await inTransaction(async (runner) => {
        const statistics = new TableStatistics(runner.manager, 10);
        await insertCases(runner, 20);
        const started = Date.now();
        expect(await statistics.afterBatch(20)).toBe('skipped');
        expect(Date.now() - started).toBeLessThan(5_000);
        await insertCases(runner, 5);
        const [{ count }] = (await runner.query('SELECT count(*)::int AS count FROM cases')) as Array<{
          count: number;
        }>;
        expect(count).toBe(25);
      });
    });
  });
});
