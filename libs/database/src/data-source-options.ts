import type { AppConfig } from '#config';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './naming-strategy.js';

/**
 * Connection options shared by the API, the worker, the migration runner and the TypeORM CLI.
 * Schema changes only ever come from `migrations/`: `synchronize` is always off.
 */
export function dataSourceOptions(
  config: AppConfig,
  extra: { entities?: MixedList<Function>; migrations?: MixedList<Function> } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    entities: extra.entities ?? [],
    migrations: extra.migrations ?? [],
    logging: false,
    extra: {
      max: config.env.DATABASE_POOL_SIZE,
      application_name: 'case-tracker',
      connectionTimeoutMillis: 5000,
      // The visibility conditions (`visibility <> 'restricted' OR EXISTS (grant)`) make the planner
      // over-estimate short list queries, and JIT-compiling them costs more than running them.
      // The working set is in memory (as on any server sized for this data): a random page costs
      // little more than a sequential one, so the planner should join a few hundred found
      // persons by primary key rather than hash the whole table.
      options: '-c jit=off -c random_page_cost=1.1',
    },
  };
}
