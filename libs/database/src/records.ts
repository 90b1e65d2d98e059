import { InvalidInputError, NotFoundError, PreconditionFailedError } from '#common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { RecordEntity } from './record.entity.js';

type RecordTarget<T extends RecordEntity> = EntityTarget<T> & { name: string };

/** Name used in messages: `PersonEntity` -> `Person`. */
export function recordName(target: { name: string }): string {
  return target.name.replace(/Entity$/, '');
}

/** Loads a record that is not archived, or throws NotFoundError. */
export async function findActive<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  id: string,
  options: { lock?: boolean } = {},
): Promise<T> {
  const qb = manager
    .createQueryBuilder(target, 'record')
    .where('record.id = :id', { id })
    .andWhere('record.archivedAt IS NULL');
  if (options.lock) qb.setLock('pessimistic_write');
  const found = await qb.getOne();
  if (!found) throw new NotFoundError(recordName(target), id);
  return found;
}

/**
 * Applies `changes` to a live record and raises its version, in one guarded UPDATE:
 * `WHERE id = $id AND archived_at IS NULL [AND version = $expected]`. TypeORM's
 * `@VersionColumn` does not guard updates, so this is the one place that does.
 */
export async function updateVersioned<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  id: string,
  changes: ObjectLiteral,
  expectedVersion?: number,
): Promise<void> {
  const qb = manager
    .createQueryBuilder()
    .update(target)
    .set({ ...withoutUndefined(changes), version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id', { id })
    .andWhere('archived_at IS NULL');
  if (expectedVersion !== undefined) qb.andWhere('version = :expectedVersion', { expectedVersion });
  const result = await qb.execute();
  if (result.affected === 1) return;
  const current = await findActive(manager, target, id);
  throw new PreconditionFailedError(recordName(target), current.version);
}

function withoutUndefined(changes: ObjectLiteral): ObjectLiteral {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/** Archives a record: it leaves lists and answers 404 until restored. Nothing is deleted. */
export async function archiveRecord<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  id: string,
  expectedVersion?: number,
): Promise<void> {
  await updateVersioned(manager, target, id, { archivedAt: () => 'now()' }, expectedVersion);
}

/** Brings an archived record back; restoring a live record changes nothing. */
export async function restoreRecord<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  id: string,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(target)
    .set({ archivedAt: null, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id', { id })
    .andWhere('archived_at IS NOT NULL')
    .execute();
  if (result.affected === 1) return;
  await findActive(manager, target, id);
}

/**
 * Checks that every id names a live record; reports each missing one against its field
 * (`sourceIds[2]`) so the client can fix its input.
 */
export async function assertRecordsExist<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  ids: readonly string[],
  field: string | ((index: number) => string),
): Promise<void> {
  if (ids.length === 0) return;
  const found = await manager
    .createQueryBuilder(target, 'record')
    .select('record.id', 'id')
    .where('record.id IN (:...ids)', { ids })
    .andWhere('record.archivedAt IS NULL')
    .getRawMany<{ id: string }>();
  const existing = new Set(found.map((r) => r.id));
  const errors = ids.flatMap((id, i) =>
    existing.has(id)
      ? []
      : [
          {
            field: typeof field === 'string' ? `${field}[${i}]` : field(i),
            message: `no ${recordName(target).toLowerCase()} with id ${id}`,
          },
        ],
  );
  if (errors.length > 0) throw new InvalidInputError(errors);
}

/** Replaces the rows of a plain join table (`owner_id`, `other_id`) for one owner. */
export async function replaceJoinRows(
  manager: EntityManager,
  join: { table: string; ownerColumn: string; otherColumn: string },
  ownerId: string,
  otherIds: readonly string[],
): Promise<void> {
  await manager.query(`DELETE FROM "${join.table}" WHERE "${join.ownerColumn}" = $1`, [ownerId]);
  if (otherIds.length === 0) return;
  await manager.query(
    `INSERT INTO "${join.table}" ("${join.ownerColumn}", "${join.otherColumn}") SELECT $1, unnest($2::uuid[])`,
    [ownerId, otherIds],
  );
}
