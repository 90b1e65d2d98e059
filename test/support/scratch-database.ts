import { AppConfig } from '#config';
import { dataSourceOptions } from '#database';
import { MIGRATIONS } from '#migrations';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type MixedList } from 'typeorm';

/**
 * Throwaway databases on the test server, for what must not touch this run's shared database:
 * an audit trail to tamper with, a key rotation, a database whose only admin is the first one.
 */

const serverUrl = () => process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the server, as the superuser of TEST_DATABASE_ADMIN_URL. */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  /** Connects to it as the superuser of TEST_DATABASE_ADMIN_URL. */
  url: string;
  /** Drops it, even while something is still connected. */
  drop(): Promise<void>;
}

export interface MigratedScratchDatabase extends ScratchDatabase {
  /** Initialised, on the database with every migration applied. */
  dataSource: DataSource;
  /** Closes the DataSource, then drops the database. */
  drop(): Promise<void>;
}

/** An empty database of its own on the same server; `purpose` goes into its name. */
export async function createScratchDatabase(purpose: string): Promise<ScratchDatabase> {
  const name = `case_tracker_scratch_${purpose}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/**
 * A scratch database with every migration applied, and a DataSource on it (knowing `entities`,
 * for code that uses repositories). Nothing is left behind when the migrations fail.
 */
export async function createMigratedScratchDatabase(
  purpose: string,
  options: { entities?: MixedList<Function> } = {},
): Promise<MigratedScratchDatabase> {
  const scratch = await createScratchDatabase(purpose);
  const config = new AppConfig({ ...AppConfig.fromProcessEnv().env, DATABASE_URL: scratch.url });
  const dataSource = new DataSource(dataSourceOptions(config, { entities: options.entities, migrations: MIGRATIONS }));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await scratch.drop();
    throw error;
  }
  return {
    url: scratch.url,
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await scratch.drop();
    },
  };
}
