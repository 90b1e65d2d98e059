import 'reflect-metadata';
import { AppConfig } from '#config';
import {
  dataSourceOptions,
  describeConnectionError,
  ensureDatabaseExists,
  runMain,
  runMigrationsLocked,
  StartupError,
} from '#database';
import { MIGRATIONS } from '#migrations';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from './entities.js';

/** `npm run migration:run`: creates the database if needed, then applies pending migrations. */
runMain('Migration', async () => {
  const config = AppConfig.fromProcessEnv();
  const target = config.databaseUrlForDisplay;
  try {
    if (await ensureDatabaseExists(config.databaseUrl)) console.log(`Created database ${target}`);
  } catch (error) {
    throw new StartupError(`Cannot reach PostgreSQL at ${target}: ${describeConnectionError(error)}`, { cause: error });
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
});
