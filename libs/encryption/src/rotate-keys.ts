import type { DataSource } from 'typeorm';
import { ENCRYPTED_COLUMNS } from './encrypted-columns.js';
import { Keyring } from './keyring.js';

export interface RotationReport {
  table: string;
  column: string;
  reencrypted: number;
}

/**
 * Re-encrypts every stored value that is not under the active key, in batches, each batch in
 * its own transaction. Versions and timestamps are left alone: the content does not change.
 * Audit entries keep the ciphertext they were written with (the trail cannot be changed), so
 * keep retired keys in `DATA_ENCRYPTION_KEY` for as long as their history must stay readable.
 */
export async function rotateEncryptedColumns(
  dataSource: DataSource,
  keyring: Keyring,
  batchSize = 500,
): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  const current = `enc:v1:${keyring.activeKeyId}:%`;
  for (const { table, column, field } of ENCRYPTED_COLUMNS) {
    let reencrypted = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await dataSource.query<Array<{ id: string; value: string }>>(
        `SELECT id, ${column} AS value FROM ${table}
          WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 AND id > $2 ORDER BY id LIMIT $3`,
        [current, after, batchSize],
      );
      if (rows.length === 0) break;
      await dataSource.transaction(async (manager) => {
        for (const row of rows) {
          const rotated = keyring.rotate(row.value, field);
          if (rotated === null) continue;
          // Only if nobody changed the value meanwhile.
          await manager.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2 AND ${column} = $3`, [
            rotated,
            row.id,
            row.value,
          ]);
          reencrypted += 1;
        }
      });
      after = rows.at(-1)!.id;
    }
    reports.push({ table, column, reencrypted });
  }
  return reports;
}
