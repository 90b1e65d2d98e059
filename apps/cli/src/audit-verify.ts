import 'reflect-metadata';
import { verifyAuditChain } from '#audit';
import { AppConfig } from '#config';
import { assertDatabaseReachable, dataSourceOptions, runMain } from '#database';
import { DataSource } from 'typeorm';

/** `npm run audit:verify`: recomputes the audit trail's hash chain; exit code 1 if it is broken. */
runMain('Audit verification', async () => {
  const config = AppConfig.fromProcessEnv();
  await assertDatabaseReachable(config);
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    const report = await verifyAuditChain(dataSource);
    if (report.broken) {
      console.error(
        `Audit trail BROKEN at entry ${report.broken.seq}: ${report.broken.problem}. ` +
          `${report.checked} entries before it are intact.`,
      );
      process.exitCode = 1;
    } else {
      console.log(`Audit trail intact: ${report.checked} entries, every hash verified.`);
    }
  } finally {
    await dataSource.destroy();
  }
});
