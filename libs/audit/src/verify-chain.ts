import type { DataSource } from 'typeorm';
import { entryHash, type FieldChanges } from './audit.js';

export interface ChainReport {
  checked: number;
  /** The first entry that does not match, and why; null when the whole chain holds. */
  broken: { seq: string; problem: string } | null;
}

interface Row {
  seq: string;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  visibility: string;
  changes: FieldChanges;
  reason: string | null;
  prev_hash: string | null;
  hash: string;
}

/**
 * Recomputes every entry's hash in order and checks that each links to the one before it: an
 * entry edited, deleted or inserted out of band breaks the chain at that point.
 */
export async function verifyAuditChain(dataSource: DataSource, batchSize = 5000): Promise<ChainReport> {
  let previous: string | null = null;
  let after = '0';
  let checked = 0;
  for (;;) {
    const rows = await dataSource.query<Row[]>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
      after,
      batchSize,
    ]);
    for (const row of rows) {
      if (row.prev_hash !== previous) {
        return {
          checked,
          broken: { seq: row.seq, problem: 'does not link to the entry before it (one was removed or inserted)' },
        };
      }
      const expected = entryHash({
        at: row.at,
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        visibility: row.visibility,
        changes: row.changes,
        reason: row.reason,
        prevHash: row.prev_hash,
      });
      if (expected !== row.hash) {
        return { checked, broken: { seq: row.seq, problem: 'its content does not match its hash (it was edited)' } };
      }
      previous = row.hash;
      checked += 1;
    }
    if (rows.length < batchSize) return { checked, broken: null };
    after = rows.at(-1)!.seq;
  }
}
