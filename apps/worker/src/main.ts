import 'reflect-metadata';
import { AppConfig, ConfigurationError } from '#config';
import { checkDatabaseReachable, describeConnectionError } from '#database';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = AppConfig.fromProcessEnv();
  try {
    await checkDatabaseReachable(config.databaseUrl);
  } catch (error) {
    console.error(`Cannot reach PostgreSQL at ${config.databaseUrlForDisplay}: ${describeConnectionError(error)}`);
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // SIGTERM / SIGINT close the application: BullMQ workers finish or hand back their jobs,
  // then Redis and PostgreSQL connections are closed.
  app.enableShutdownHooks();
  await app.init();
  logger.log(`worker started (redis ${config.redisUrlForDisplay}, queue prefix "${config.env.QUEUE_PREFIX}")`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(`Worker failed to start: ${describeConnectionError(error)}`);
  process.exit(1);
});
