import type { EntityManager } from 'typeorm';

/** The tables an import fills. */
export const IMPORTED_TABLES = [
  'persons',
  'person_names',
  'custody_events',
  'cases',
  'case_participants',
  'case_charges',
  'hearings',
] as const;

/** How long an in-import ANALYZE waits for its lock before it is skipped. */
const LOCK_TIMEOUT = '200ms';

/**
 * Fresh planner statistics while an import fills the tables, inside its transaction. An import
 * into a nearly empty database grows its tables from nothing to 100,000 rows in one transaction,
 * and PostgreSQL kept planning its per-batch statements (the lookups, the refresh of defendant
 * stages) for tables without statistics: hash joins over whole tables, each batch slower than the
 * last (220 s for 100,000 rows, against 58 s with this). So the tables are analysed, within the
 * transaction (ANALYZE sees the transaction's own rows, and the new statistics are the
 * transaction's until it commits), each time the records created have doubled since the last
 * time, from `firstAfter` on: a handful of times per import, about 1.5 s in all for 100,000 rows.
 *
 * ANALYZE holds a lock on the tables until the commit that another ANALYZE must wait for: when a
 * concurrent import holds it, this one's waits at most `LOCK_TIMEOUT` and goes on without
 * (a savepoint keeps the failed statement from aborting the import).
 */
export class TableStatistics {
  private next: number;

  constructor(
    private readonly manager: EntityManager,
    firstAfter = 2_000,
  ) {
    this.next = firstAfter;
  }

  /** Called after each written batch with the records created so far. */
  async afterBatch(created: number): Promise<'analysed' | 'skipped' | 'not-yet'> {
    if (created < this.next) return 'not-yet';
    this.next = created * 2;
    const [{ lock_timeout: previous }] = await this.manager.query<Array<{ lock_timeout: string }>>(
      `SELECT current_setting('lock_timeout') AS lock_timeout`,
    );
    await this.manager.query('SAVEPOINT import_statistics');
    try {
      await this.manager.query(`SELECT set_config('lock_timeout', $1, true)`, [LOCK_TIMEOUT]);
      await this.manager.query(`ANALYZE ${IMPORTED_TABLES.join(', ')}`);
      await this.manager.query('RELEASE SAVEPOINT import_statistics');
    } catch {
      // Undoes the failed ANALYZE and the setting with it; the import's transaction goes on.
      await this.manager.query('ROLLBACK TO SAVEPOINT import_statistics');
      await this.manager.query('RELEASE SAVEPOINT import_statistics');
      return 'skipped';
    }
    await this.manager.query(`SELECT set_config('lock_timeout', $1, true)`, [previous]);
    return 'analysed';
  }
}
