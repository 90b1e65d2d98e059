import 'reflect-metadata';
import { AppConfig } from '#config';
import { assertDatabaseReachable, runMain } from '#database';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

runMain('Worker start-up', async () => {
  const config = AppConfig.fromProcessEnv();
  await assertDatabaseReachable(config);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM / SIGINT close the application: BullMQ workers finish or hand back their jobs,
  // then Redis and PostgreSQL connections are closed.
  app.enableShutdownHooks();
  await app.init();
  logger.log(`worker started (redis ${config.redisUrlForDisplay}, queue prefix "${config.env.QUEUE_PREFIX}")`);
});
