import type { Visibility } from '#common';
import { canonicalJson, sha256Hex } from './canonical-json.js';

export const AUDIT_ACTIONS = ['create', 'update', 'archive', 'restore', 'revoke', 'export', 'import'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The audited state of a record: plain JSON values, keyed by field name. */
export type Snapshot = Record<string, unknown>;

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** Fields whose value differs between two snapshots (a missing snapshot counts as all null). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null): FieldChanges {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChanges = {};
  for (const field of [...fields].sort()) {
    const was = before?.[field] ?? null;
    const is = after?.[field] ?? null;
    if (canonicalJson(was) !== canonicalJson(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}

/**
 * `canonicalJson(diffSnapshots(before, after))`, with each value made canonical once (bulk writes
 * stage many entries; see `AuditTrail.stage`).
 */
export function diffSnapshotsJson(before: Snapshot | null, after: Snapshot | null): string {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const parts: string[] = [];
  for (const field of [...fields].sort()) {
    const was = canonicalJson(before?.[field] ?? null);
    const is = canonicalJson(after?.[field] ?? null);
    if (was !== is) parts.push(`${JSON.stringify(field)}:{"after":${is},"before":${was}}`);
  }
  return `{${parts.join(',')}}`;
}

const RANK: Record<Visibility, number> = { public: 0, internal: 1, restricted: 2 };

/** The more restrictive of the visibilities given (absent ones are ignored). */
export function mostRestrictive(...values: Array<Visibility | null | undefined>): Visibility {
  return values.reduce<Visibility>((acc, v) => (v && RANK[v] > RANK[acc] ? v : acc), 'public');
}

/** The fields of an entry that its hash covers, in the form they are stored in. */
export interface HashedEntry {
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  visibility: string;
  changes: FieldChanges;
  reason: string | null;
  prevHash: string | null;
}

/**
 * `entryHash` of an entry whose `changes` are given as their canonical JSON (as `diffSnapshotsJson`
 * makes it): the same canonical text, its keys in the same (sorted) order, without parsing the
 * changes and making them canonical again.
 */
export function entryHashOfCanonical(entry: Omit<HashedEntry, 'changes'>, changesJson: string): string {
  const j = JSON.stringify;
  return sha256Hex(
    `{"action":${j(entry.action)},"actorId":${j(entry.actorId)},"actorKind":${j(entry.actorKind)},` +
      `"actorLabel":${j(entry.actorLabel)},"at":${j(entry.at.toISOString())},"changes":${changesJson},` +
      `"entityId":${j(entry.entityId)},"entityType":${j(entry.entityType)},"prevHash":${j(entry.prevHash)},` +
      `"reason":${j(entry.reason)},"visibility":${j(entry.visibility)}}`,
  );
}

/** SHA-256 over the entry's canonical JSON, which includes the previous entry's hash. */
export function entryHash(entry: HashedEntry): string {
  return sha256Hex(
    canonicalJson({
      at: entry.at.toISOString(),
      actorKind: entry.actorKind,
      actorId: entry.actorId,
      actorLabel: entry.actorLabel,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      visibility: entry.visibility,
      changes: entry.changes,
      reason: entry.reason,
      prevHash: entry.prevHash,
    }),
  );
}
