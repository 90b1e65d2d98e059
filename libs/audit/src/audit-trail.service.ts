import type { Actor, Page, Visibility, WriteContext } from '#common';
import { paginate } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEntryEntity } from './audit-entry.entity.js';
import { canonicalJson } from './canonical-json.js';
import {
  type AuditAction,
  diffSnapshots,
  diffSnapshotsJson,
  entryHash,
  entryHashOfCanonical,
  type FieldChanges,
  mostRestrictive,
  type Snapshot,
} from './audit.js';
import type { AuditEntryView, FieldChangeView } from './audit.view.js';

/** Serialises writers of the chain: each entry needs the hash of the one before it. */
const AUDIT_CHAIN_LOCK = 0x61756474; // "audt"

export interface AuditedChange {
  action: AuditAction;
  entityType: string;
  entityId: string;
  before?: Snapshot | null;
  after?: Snapshot | null;
  /** The record's visibility before and after; the entry takes the most restrictive. */
  visibility?: Array<Visibility | null | undefined>;
}

/** How history is shown to one reader. */
export interface HistoryAccess {
  /** The reader may see this record's restricted content (admin, or granted on it). */
  clearance: boolean;
  /** Fields stored encrypted; shown decrypted to readers who may see them. */
  encryptedFields?: readonly string[];
  /** Fields only readers with clearance may see, whatever the record's visibility. */
  restrictedFields?: readonly string[];
  /**
   * The person or case the record belongs to (custody events, notes, hearings, campaigns): for a
   * reader without clearance, entries written while it was restricted are hidden as well.
   */
  parent?: { entityType: 'person' | 'case'; entityId: string };
}

/** A change as recorded, handed to listeners inside the transaction that made it. */
export interface RecordedChange extends AuditedChange {
  context: WriteContext;
}

/** Reacts to recorded changes inside their transaction (alerts plan reminders this way). */
export type ChangeListener = (manager: EntityManager, change: RecordedChange) => Promise<void>;

/** One change of a bulk write (an import), with its own context (a reason naming the row). */
export interface StagedChange extends AuditedChange {
  context: WriteContext;
  /**
   * Whether listeners hear of it (default true). A bulk writer leaves out changes no listener
   * can act on, such as those to records it created itself, which nothing can follow yet.
   */
  notify?: boolean;
}

/** Staged entries hashed and appended per round trip. */
const APPEND_BATCH = 2000;

/**
 * Writes audit entries inside the caller's transaction, and reads a record's history. Every
 * change to the case files passes through here, so it is also the change feed other features
 * listen to: a listener runs in the same transaction, and a failing listener rolls it back.
 */
@Injectable()
export class AuditTrail {
  private readonly listeners: ChangeListener[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Appends an entry; call it with the manager of the transaction that made the change. */
  async record(manager: EntityManager, context: WriteContext, change: AuditedChange): Promise<void> {
    const changes: FieldChanges = diffSnapshots(change.before ?? null, change.after ?? null);
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [last] = await manager.query<Array<{ hash: string }>>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const entry = {
      at: new Date(),
      actorKind: context.actor.kind,
      actorId: context.actor.id,
      actorLabel: context.actor.label,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      visibility: mostRestrictive(...(change.visibility ?? [])),
      changes,
      reason: context.reason,
      prevHash: last?.hash ?? null,
    };
    // jsonb column: TypeORM's insert typing does not model arbitrary JSON values.
    await manager.insert(AuditEntryEntity, { ...entry, changes: entry.changes as never, hash: entryHash(entry) });
    for (const listener of this.listeners) await listener(manager, { ...change, context });
  }

  /**
   * Stages entries for a bulk write, in a temporary table of the caller's transaction, without
   * taking the chain lock: a long import does not hold up every other writer. `appendStaged`
   * hashes them onto the chain (under the lock) before the transaction commits; a rollback
   * discards them with the changes they describe.
   */
  async stage(manager: EntityManager, changes: readonly StagedChange[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `CREATE TEMP TABLE IF NOT EXISTS audit_staging (
         ord bigserial PRIMARY KEY, actor_kind text NOT NULL, actor_id uuid, actor_label text NOT NULL,
         action text NOT NULL, entity_type text NOT NULL, entity_id uuid NOT NULL, visibility text NOT NULL,
         changes text NOT NULL, reason text, listened text
       ) ON COMMIT DROP`,
    );
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
    for (const change of changes) {
      const listened =
        change.notify === false
          ? null
          : canonicalJson({ before: change.before ?? null, after: change.after ?? null, actor: change.context.actor });
      const values = [
        change.context.actor.kind,
        change.context.actor.id,
        change.context.actor.label,
        change.action,
        change.entityType,
        change.entityId,
        mostRestrictive(...(change.visibility ?? [])),
        diffSnapshotsJson(change.before ?? null, change.after ?? null),
        change.context.reason,
        listened,
      ];
      values.forEach((value, i) => columns[i]!.push(value));
    }
    await manager.query(
      `INSERT INTO audit_staging
         (actor_kind, actor_id, actor_label, action, entity_type, entity_id, visibility, changes, reason, listened)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                            $8::text[], $9::text[], $10::text[])`,
      columns,
    );
  }

  /**
   * Appends the entries staged in this transaction to the chain, in the order they were staged,
   * and lets listeners hear of those staged with `notify`. Returns how many were appended.
   */
  async appendStaged(manager: EntityManager): Promise<number> {
    const [staging] = await manager.query<Array<{ name: string | null }>>(
      `SELECT to_regclass('pg_temp.audit_staging')::text AS name`,
    );
    if (!staging?.name) return 0;
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [last] = await manager.query<Array<{ hash: string }>>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    let prevHash = last?.hash ?? null;
    const at = new Date();
    let after = 0;
    let appended = 0;
    for (;;) {
      const rows = await manager.query<StagedRow[]>(
        'SELECT * FROM audit_staging WHERE ord > $1 ORDER BY ord LIMIT $2',
        [after, APPEND_BATCH],
      );
      if (rows.length === 0) break;
      after = Number(rows.at(-1)!.ord);
      // Only the hashes go back: the entries' text is taken from the staging table as it was hashed.
      const ords: string[] = [];
      const prevHashes: Array<string | null> = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const entry = {
          at,
          actorKind: row.actor_kind,
          actorId: row.actor_id,
          actorLabel: row.actor_label,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          visibility: row.visibility,
          reason: row.reason,
          prevHash,
        };
        // The staged text is canonical already: it is hashed as it is.
        const hash = entryHashOfCanonical(entry, row.changes);
        ords.push(row.ord);
        prevHashes.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      // `WITH ORDINALITY ... ORDER BY`: the rows take their sequence numbers in chain order.
      await manager.query(
        `INSERT INTO audit_log
           (at, actor_kind, actor_id, actor_label, action, entity_type, entity_id, visibility, changes, reason,
            prev_hash, hash)
         SELECT $1::timestamptz, s.actor_kind, s.actor_id, s.actor_label, s.action, s.entity_type, s.entity_id, s.visibility,
                s.changes::jsonb, s.reason, h.prev_hash, h.hash
           FROM unnest($2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS h(ord, prev_hash, hash, n)
           JOIN audit_staging s ON s.ord = h.ord
          ORDER BY h.n`,
        [at, ords, prevHashes, hashes],
      );
      appended += rows.length;
      for (const row of rows) {
        if (row.listened === null || this.listeners.length === 0) continue;
        const listened = JSON.parse(row.listened) as { before: Snapshot | null; after: Snapshot | null; actor: Actor };
        const change: RecordedChange = {
          action: row.action as AuditAction,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: listened.before,
          after: listened.after,
          visibility: [row.visibility as Visibility],
          context: { actor: listened.actor, reason: row.reason },
        };
        for (const listener of this.listeners) await listener(manager, change);
      }
    }
    await manager.query('DROP TABLE audit_staging');
    return appended;
  }

  /**
   * Records a change to a record loaded before and after it (`before` is null for a create),
   * through `snapshot`, which says what of the record the trail keeps.
   */
  async recordChange<T extends { id: string; visibility?: Visibility }>(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    entityType: string,
    snapshot: (record: T) => Snapshot,
    before: T | null,
    after: T,
  ): Promise<void> {
    await this.record(manager, context, {
      action,
      entityType,
      entityId: after.id,
      before: before ? snapshot(before) : null,
      after: snapshot(after),
      visibility: [before?.visibility, after.visibility],
    });
  }

  /** A record's history, oldest first, with what the reader may not see redacted. */
  async history(
    entityType: string,
    entityId: string,
    page: { limit?: number; cursor?: string },
    access: HistoryAccess,
  ): Promise<Page<AuditEntryView>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(AuditEntryEntity, 'entry')
      .where('entry.entityType = :entityType', { entityType })
      .andWhere('entry.entityId = :entityId', { entityId });
    const result = await paginate(qb, [{ column: 'entry.seq', read: (e) => e.seq, cast: 'bigint' }], page);
    const parentRestricted = await this.parentRestrictedAt(access, result.items);
    return {
      items: result.items.map((e) => this.view(e, access, parentRestricted(e.seq))),
      nextCursor: result.nextCursor,
    };
  }

  /**
   * Whether the parent of a record was restricted when the entry `seq` was written, read from
   * the parent's own trail (the visibility each of its entries set); always false for readers
   * with clearance. A record's entries carry only its own visibility, so without this a custody
   * event corrected while its person was restricted would show the correction once the person
   * is not.
   */
  private async parentRestrictedAt(
    access: HistoryAccess,
    entries: AuditEntryEntity[],
  ): Promise<(seq: string) => boolean> {
    if (!access.parent || access.clearance || entries.length === 0) return () => false;
    const last = entries.reduce((max, e) => (BigInt(e.seq) > BigInt(max) ? e.seq : max), entries[0]!.seq);
    const settings = await this.dataSource.manager.query<Array<{ seq: string; visibility: string | null }>>(
      `SELECT seq, changes -> 'visibility' ->> 'after' AS visibility FROM audit_log
        WHERE entity_type = $1 AND entity_id = $2 AND seq < $3 AND changes ? 'visibility'
        ORDER BY seq`,
      [access.parent.entityType, access.parent.entityId, last],
    );
    return (seq) => {
      const before = settings.filter((s) => BigInt(s.seq) < BigInt(seq)).at(-1);
      return before?.visibility === 'restricted';
    };
  }

  private view(entry: AuditEntryEntity, access: HistoryAccess, parentRestricted = false): AuditEntryView {
    const hidden = (entry.visibility === 'restricted' || parentRestricted) && !access.clearance;
    // jsonb keeps keys in its own order (shorter first); show them alphabetically.
    const fields = Object.entries(entry.changes).sort(([a], [b]) => a.localeCompare(b));
    const changes: FieldChangeView[] = fields.map(([field, { before, after }]) => {
      if (hidden || (!access.clearance && access.restrictedFields?.includes(field))) {
        return { field, before: null, after: null, redacted: true };
      }
      const show = (value: unknown) =>
        access.encryptedFields?.includes(field) && Keyring.isEncrypted(value)
          ? this.keyring.decrypt(value, `${entry.entityType}.${field}`)
          : value;
      return { field, before: show(before), after: show(after), redacted: false };
    });
    return {
      seq: entry.seq,
      at: entry.at.toISOString(),
      actor: { kind: entry.actorKind, id: entry.actorId, label: entry.actorLabel },
      action: entry.action,
      reason: hidden ? null : entry.reason,
      changes,
    };
  }
}

interface StagedRow {
  ord: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  visibility: string;
  changes: string;
  reason: string | null;
  listened: string | null;
}
