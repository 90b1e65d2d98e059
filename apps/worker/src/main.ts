import 'reflect-metadata';
import { AppConfig } from '#config';
import { assertDatabaseReachable, runMain } from '#database';
import { Keyring } from '#encryption';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

runMain('Worker start-up', async () => {
  const config = AppConfig.fromProcessEnv();
  Keyring.fromEnvironment(config.env.DATA_ENCRYPTION_KEY); // fail fast, with one line, on a bad key
  await assertDatabaseReachable(config);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM / SIGINT close the application: the delivery and reconcile workers stop taking jobs
  // and finish those in progress (beforeApplicationShutdown), then Redis and PostgreSQL
  // connections are closed (onApplicationShutdown).
  app.enableShutdownHooks();
  await app.init();
  logger.log(`worker started (redis ${config.redisUrlForDisplay}, queue prefix "${config.env.QUEUE_PREFIX}")`);
});
