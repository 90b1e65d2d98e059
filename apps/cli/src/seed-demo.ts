import 'reflect-metadata';
import { AppConfig, AppConfigModule } from '#config';
import { assertDatabaseReachable, DatabaseModule, runMain } from '#database';
import { DemoDataModule, DemoSeeder } from '#demo-data';
import { EncryptionModule, Keyring } from '#encryption';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';

@Module({ imports: [AppConfigModule, DatabaseModule, EncryptionModule, DemoDataModule] })
class SeedModule {}

/** `npm run seed:demo [file]`: loads `demo/kazakhstan-2022.json` (or the given file); safe to repeat. */
runMain('Demo seed', async () => {
  const file = resolve(process.argv[2] ?? 'demo/kazakhstan-2022.json');
  const config = AppConfig.fromProcessEnv();
  Keyring.fromEnvironment(config.env.DATA_ENCRYPTION_KEY); // fail fast, with one line, on a bad key
  await assertDatabaseReachable(config);
  const app = await NestFactory.createApplicationContext(SeedModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const report = await app.get(DemoSeeder).seedFile(file);
    console.log(`Demo data from ${file}: ${report.created} record(s) created, ${report.existing} already present.`);
  } finally {
    await app.close();
  }
});
