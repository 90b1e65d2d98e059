import type { PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a named prepared statement: each pooled connection parses (and, once PostgreSQL settles on
 * a generic plan, plans) it once instead of on every call. For the few statements that run once
 * per job at high rates (reminder delivery), where parsing and planning cost PostgreSQL more than
 * executing them. `name` must be unique to `text` across the application.
 */
export async function preparedQuery<T extends QueryResultRow>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T>({ name, text, values })).rows;
  } finally {
    await runner.release();
  }
}
