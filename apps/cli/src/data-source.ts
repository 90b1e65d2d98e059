import 'reflect-metadata';
import { AppConfig } from '#config';
import { dataSourceOptions } from '#database';
import { MIGRATIONS } from '#migrations';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from './entities.js';

/** The data source the TypeORM CLI uses (`npm run migration:generate`). */
export default new DataSource(
  dataSourceOptions(AppConfig.fromProcessEnv(), { entities: ALL_ENTITIES, migrations: MIGRATIONS }),
);
