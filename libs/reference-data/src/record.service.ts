import { type AuditEntryView, type AuditTrail, type HistoryAccess, type Snapshot } from '#audit';
import { type Actor, NotFoundError, type Page, systemActor, type WriteContext } from '#common';
import {
  archiveRecord,
  findIdByExternalId,
  paginate,
  type RecordEntity,
  recordName,
  restoreRecord,
  updateVersioned,
} from '#database';
import type { DataSource, DeepPartial, EntityManager, EntityTarget, SelectQueryBuilder } from 'typeorm';

const AUDIT_READER = systemActor('audit');

/**
 * Create / read / list / update / archive / restore / history for a simple record type. Each
 * write runs in one transaction together with its audit entry. Subclasses say how a DTO maps to
 * columns, how a row is shown to a reader, and (optionally) who may see which rows.
 */
export abstract class RecordService<
  E extends RecordEntity & { externalId: string | null },
  View extends object,
  CreateDto extends object,
  UpdateDto extends object,
> {
  protected abstract readonly target: EntityTarget<E> & { name: string };
  /** Name of the record type in the audit trail (`source`). */
  protected abstract readonly entityType: string;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly audit: AuditTrail,
  ) {}

  /** Columns to write for the fields present in `dto` (absent fields are left unchanged). */
  protected abstract columns(dto: Partial<CreateDto>): DeepPartial<E>;

  protected abstract view(entity: E, reader: Actor): View;

  /** Limits a query to the rows `reader` may see; everyone signed in sees every row by default. */
  protected restrictTo(_qb: SelectQueryBuilder<E>, _reader: Actor): void {}

  /** Refuses writes the actor may not make (beyond the role check done by the API). */
  protected async checkWrite(_manager: EntityManager, _actor: Actor, _dto: Partial<CreateDto>): Promise<void> {}

  /** Checks references in the DTO and writes what lives outside the row (join tables). */
  protected async writeRelations(
    _manager: EntityManager,
    _id: string,
    _dto: Partial<CreateDto>,
    _actor: Actor,
  ): Promise<void> {}

  /** What the audit trail keeps: the record as an admin sees it, without bookkeeping fields. */
  protected snapshot(entity: E): Snapshot {
    const {
      id: _id,
      version: _version,
      createdAt: _c,
      updatedAt: _u,
      ...fields
    } = this.view(entity, AUDIT_READER) as Record<string, unknown>;
    return { ...fields, archivedAt: entity.archivedAt?.toISOString() ?? null };
  }

  /** Adjusts views for their reader where that needs the database (hiding restricted references). */
  protected async present(_manager: EntityManager, views: View[], _reader: Actor): Promise<View[]> {
    return views;
  }

  private async presentOne(manager: EntityManager, entity: E, reader: Actor): Promise<View> {
    return (await this.present(manager, [this.view(entity, reader)], reader))[0]!;
  }

  protected historyAccess(reader: Actor): HistoryAccess {
    return { clearance: reader.role === 'admin' };
  }

  async create(dto: CreateDto, context: WriteContext): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkWrite(manager, context.actor, dto);
      const repo = manager.getRepository(this.target);
      const saved = await repo.save(repo.create(this.columns(dto)));
      await this.writeRelations(manager, saved.id, dto, context.actor);
      const stored = await this.find(manager, saved.id, context.actor);
      await this.record(manager, context, 'create', null, stored);
      return this.presentOne(manager, stored, context.actor);
    });
  }

  async get(id: string, reader: Actor): Promise<View> {
    const manager = this.dataSource.manager;
    return this.presentOne(manager, await this.find(manager, id, reader), reader);
  }

  async list(page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<View>> {
    const qb = this.dataSource.manager.createQueryBuilder(this.target, 'record').where('record.archivedAt IS NULL');
    this.restrictTo(qb, reader);
    const result = await paginate(qb, [{ column: 'record.seq', read: (r) => r.seq }], page);
    const views = result.items.map((e) => this.view(e, reader));
    return { items: await this.present(this.dataSource.manager, views, reader), nextCursor: result.nextCursor };
  }

  async update(id: string, dto: UpdateDto, version: number, context: WriteContext): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true });
      await this.checkWrite(manager, context.actor, dto as Partial<CreateDto>);
      await updateVersioned(manager, this.target, id, this.columns(dto as Partial<CreateDto>), version);
      await this.writeRelations(manager, id, dto as Partial<CreateDto>, context.actor);
      const after = await this.find(manager, id, context.actor);
      await this.record(manager, context, 'update', before, after);
      return this.presentOne(manager, after, context.actor);
    });
  }

  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true });
      await archiveRecord(manager, this.target, id, version);
      const after = await this.find(manager, id, context.actor, { archived: true });
      await this.record(manager, context, 'archive', before, after);
    });
  }

  async restore(id: string, context: WriteContext): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true, archived: true });
      if (before.archivedAt) {
        await restoreRecord(manager, this.target, id);
        await this.record(manager, context, 'restore', before, await this.find(manager, id, context.actor));
      }
      return this.presentOne(manager, await this.find(manager, id, context.actor), context.actor);
    });
  }

  /** The record's audit trail, oldest first. */
  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    await this.find(this.dataSource.manager, id, reader, { archived: true });
    return this.audit.history(this.entityType, id, page, this.historyAccess(reader));
  }

  /** Finds a record by its external id, archived or not (used by imports and the demo seed). */
  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, this.target, externalId);
  }

  /** A record the reader may see (live, or with `archived` archived or live), else 404. */
  protected async find(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; archived?: boolean } = {},
  ): Promise<E> {
    const qb = manager.createQueryBuilder(this.target, 'record').where('record.id = :id', { id });
    if (!options.archived) qb.andWhere('record.archivedAt IS NULL');
    this.restrictTo(qb, reader);
    if (options.lock) qb.setLock('pessimistic_write', undefined, ['record']);
    const found = await qb.getOne();
    if (!found) throw new NotFoundError(recordName(this.target), id);
    return found;
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    before: E | null,
    after: E,
  ): Promise<void> {
    const snapshot = (e: E) => this.snapshot(e);
    return this.audit.recordChange(manager, context, action, this.entityType, snapshot, before, after);
  }
}
