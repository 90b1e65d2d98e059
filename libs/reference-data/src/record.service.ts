import type { Page } from '#common';
import {
  archiveRecord,
  findActive,
  paginate,
  type RecordEntity,
  restoreRecord,
  updateVersioned,
  findIdByExternalId,
} from '#database';
import type { DataSource, DeepPartial, EntityManager, EntityTarget } from 'typeorm';

/**
 * Create / read / list / update / archive / restore for a simple record type, each write in one
 * transaction. Subclasses say how a DTO maps to columns and how a row is shown.
 */
export abstract class RecordService<
  E extends RecordEntity & { externalId: string | null },
  View,
  CreateDto extends object,
  UpdateDto extends object,
> {
  protected abstract readonly target: EntityTarget<E> & { name: string };

  constructor(protected readonly dataSource: DataSource) {}

  /** Columns to write for the fields present in `dto` (absent fields are left unchanged). */
  protected abstract columns(dto: Partial<CreateDto>): DeepPartial<E>;

  protected abstract view(entity: E): View;

  /** Checks references in the DTO and writes what lives outside the row (join tables). */
  protected async writeRelations(_manager: EntityManager, _id: string, _dto: Partial<CreateDto>): Promise<void> {}

  async create(dto: CreateDto): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(this.target);
      const saved = await repo.save(repo.create(this.columns(dto)));
      await this.writeRelations(manager, saved.id, dto);
      return this.view(await findActive(manager, this.target, saved.id));
    });
  }

  async get(id: string): Promise<View> {
    return this.view(await findActive(this.dataSource.manager, this.target, id));
  }

  async list(page: { limit?: number; cursor?: string }): Promise<Page<View>> {
    const qb = this.dataSource.manager.createQueryBuilder(this.target, 'record').where('record.archivedAt IS NULL');
    const result = await paginate(qb, [{ column: 'record.seq', read: (r) => r.seq }], page);
    return { items: result.items.map((e) => this.view(e)), nextCursor: result.nextCursor };
  }

  async update(id: string, dto: UpdateDto, expectedVersion?: number): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      await findActive(manager, this.target, id, { lock: true });
      await updateVersioned(manager, this.target, id, this.columns(dto as Partial<CreateDto>), expectedVersion);
      await this.writeRelations(manager, id, dto as Partial<CreateDto>);
      return this.view(await findActive(manager, this.target, id));
    });
  }

  async archive(id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction((manager) => archiveRecord(manager, this.target, id, expectedVersion));
  }

  async restore(id: string): Promise<View> {
    return this.dataSource.transaction(async (manager) => {
      await restoreRecord(manager, this.target, id);
      return this.view(await findActive(manager, this.target, id));
    });
  }

  /** Finds a record by its external id, archived or not (used by imports and the demo seed). */
  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, this.target, externalId);
  }
}
