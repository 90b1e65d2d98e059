import { AppConfig } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { MIGRATIONS } from '#migrations';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/setup.js';

export interface TestApp {
  app: NestExpressApplication;
  http: Parameters<typeof request>[0];
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Applies migrations to this run's database (once; later calls find nothing to do). */
export async function migrateTestDatabase(): Promise<void> {
  const migrator = new DataSource(dataSourceOptions(AppConfig.fromProcessEnv(), { migrations: MIGRATIONS }));
  await migrator.initialize();
  try {
    await runMigrationsLocked(migrator);
  } finally {
    await migrator.destroy();
  }
}

/** The real API (same setup as main.ts) against this run's PostgreSQL database and Redis prefix. */
export async function createTestApp(): Promise<TestApp> {
  await migrateTestDatabase();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  configureApp(app);
  await app.init();
  return {
    app,
    http: app.getHttpServer() as Parameters<typeof request>[0],
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}
