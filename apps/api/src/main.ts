import 'reflect-metadata';
import { AppConfig } from '#config';
import { assertDatabaseReachable, runMain } from '#database';
import { Keyring } from '#encryption';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cluster from 'node:cluster';
import { AppModule } from './app.module.js';
import { runCluster } from './cluster.js';
import { configureApp } from './setup.js';

runMain('API start-up', async () => {
  const config = AppConfig.fromProcessEnv();
  if (cluster.isPrimary && config.env.API_PROCESSES > 1) return runCluster(config.env.API_PROCESSES);
  Keyring.fromEnvironment(config.env.DATA_ENCRYPTION_KEY); // fail fast, with one line, on a bad key
  await assertDatabaseReachable(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
    // Start-up errors (a bad key, no first admin) reach runMain, which prints them as one clear line.
    abortOnError: false,
  });
  configureApp(app);
  await app.listen(config.env.PORT, '0.0.0.0');
});
