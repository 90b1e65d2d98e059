import type { Page, Visibility, WriteContext } from '#common';
import { paginate } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEntryEntity } from './audit-entry.entity.js';
import {
  type AuditAction,
  diffSnapshots,
  entryHash,
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
}

/** A change as recorded, handed to listeners inside the transaction that made it. */
export interface RecordedChange extends AuditedChange {
  context: WriteContext;
}

/** Reacts to recorded changes inside their transaction (alerts plan reminders this way). */
export type ChangeListener = (manager: EntityManager, change: RecordedChange) => Promise<void>;

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
    return { items: result.items.map((e) => this.view(e, access)), nextCursor: result.nextCursor };
  }

  private view(entry: AuditEntryEntity, access: HistoryAccess): AuditEntryView {
    const hidden = entry.visibility === 'restricted' && !access.clearance;
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
