import 'reflect-metadata';
import { AppConfig, ConfigurationError } from '#config';
import { checkDatabaseReachable, describeConnectionError } from '#database';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './setup.js';

async function main(): Promise<void> {
  const config = AppConfig.fromProcessEnv();
  try {
    await checkDatabaseReachable(config.databaseUrl);
  } catch (error) {
    console.error(`Cannot reach PostgreSQL at ${config.databaseUrlForDisplay}: ${describeConnectionError(error)}`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  await app.listen(config.env.PORT, '0.0.0.0');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(`API failed to start: ${describeConnectionError(error)}`);
  process.exit(1);
});
