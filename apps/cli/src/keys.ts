import 'reflect-metadata';
import { AppConfig } from '#config';
import { assertDatabaseReachable, dataSourceOptions, runMain } from '#database';
import { generateKeyEntry, Keyring, rotateEncryptedColumns } from '#encryption';
import { DataSource } from 'typeorm';

/**
 * `npm run keys:generate [-- <keyId>]` prints a new `DATA_ENCRYPTION_KEY` entry.
 * `npm run keys:rotate` re-encrypts every stored value under the first (active) key.
 *
 * To rotate: put the new entry first in DATA_ENCRYPTION_KEY, keep the old one after it
 * (`new:...,old:...`), restart the services, run `npm run keys:rotate`.
 */
runMain('Key command', async () => {
  const [command, argument] = process.argv.slice(2);
  if (command === 'generate') {
    const id = argument ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    console.log(generateKeyEntry(id));
    return;
  }
  if (command !== 'rotate') throw new Error('usage: keys.js generate [keyId] | rotate');
  const config = AppConfig.fromProcessEnv();
  const keyring = Keyring.fromEnvironment(config.env.DATA_ENCRYPTION_KEY);
  await assertDatabaseReachable(config);
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    for (const report of await rotateEncryptedColumns(dataSource, keyring)) {
      console.log(
        `${report.table}.${report.column}: ${report.reencrypted} value(s) re-encrypted with key "${keyring.activeKeyId}"`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
});
