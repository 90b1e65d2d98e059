import 'reflect-metadata';
import { AppConfig, AppConfigModule, ConfigurationError } from '#config';
import { DomainError, InvalidInputError } from '#common';
import { checkDatabaseReachable, DatabaseModule, describeConnectionError } from '#database';
import { DemoDataModule, DemoSeeder } from '#demo-data';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';

@Module({ imports: [AppConfigModule, DatabaseModule, DemoDataModule] })
class SeedModule {}

/** `npm run seed:demo [file]`: loads `demo/kazakhstan-2022.json` (or the given file); safe to repeat. */
async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? 'demo/kazakhstan-2022.json');
  const config = AppConfig.fromProcessEnv();
  try {
    await checkDatabaseReachable(config.databaseUrl);
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${config.databaseUrlForDisplay}: ${describeConnectionError(error)}`, {
      cause: error,
    });
  }
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const report = await app.get(DemoSeeder).seedFile(file);
    console.log(`Demo data from ${file}: ${report.created} record(s) created, ${report.existing} already present.`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof InvalidInputError) {
    console.error(`Demo data is invalid:\n${error.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n')}`);
  } else if (error instanceof ConfigurationError || error instanceof DomainError) {
    console.error(error.message);
  } else {
    console.error(`Seeding failed: ${(error as Error).message}`);
  }
  process.exit(1);
});
