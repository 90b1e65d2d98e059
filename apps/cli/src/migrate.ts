import 'reflect-metadata';
import { AppConfig, ConfigurationError } from '#config';
import { dataSourceOptions, describeConnectionError, ensureDatabaseExists, runMigrationsLocked } from '#database';
import { MIGRATIONS } from '#migrations';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from './entities.js';

/** `npm run migration:run`: creates the database if needed, then applies pending migrations. */
async function main(): Promise<void> {
  const config = AppConfig.fromProcessEnv();
  const target = config.databaseUrlForDisplay;
  try {
    if (await ensureDatabaseExists(config.databaseUrl)) console.log(`Created database ${target}`);
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${target}: ${describeConnectionError(error)}`, { cause: error });
  }
  const dataSource = new DataSource(dataSourceOptions(config, { entities: ALL_ENTITIES, migrations: MIGRATIONS }));
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Database schema is up to date.',
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
});
