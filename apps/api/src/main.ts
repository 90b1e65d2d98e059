import 'reflect-metadata';
import { AppConfig } from '#config';
import { assertDatabaseReachable, runMain } from '#database';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './setup.js';

runMain('API start-up', async () => {
  const config = AppConfig.fromProcessEnv();
  await assertDatabaseReachable(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  configureApp(app);
  await app.listen(config.env.PORT, '0.0.0.0');
});
