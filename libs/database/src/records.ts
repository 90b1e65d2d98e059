import { type FieldError, NotFoundError, PreconditionFailedError } from '#common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { RecordEntity } from './record.entity.js';

type RecordTarget<T extends RecordEntity> = EntityTarget<T> & { name: string };

/** Name used in messages: `PersonEntity` -> `Person`. */
export function recordName(target: { name: string }): string {
  return target.name.replace(/Entity$/, '');
}

/**
 * The id of the record (archived or not) that carries the client's own `externalId`, or null.
 * Imports and the demo seed use it to recognise records they loaded before.
 */
export async function findIdByExternalId(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral & { id: string; externalId: string | null }>,
  externalId: string,
): Promise<string | null> {
  const row = await manager
    .createQueryBuilder(target, 'record')
    .select('record.id', 'id')
    .where('record.externalId = :externalId', { externalId })
    .getRawOne<{ id: string }>();
  return row?.id ?? null;
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
 * `WHERE id = $id AND archived_at IS NULL AND version = $expected`. TypeORM's
 * `@VersionColumn` does not guard updates, so this is the one place that does. Every change
 * names the version it was based on (the client's `If-Match`).
 */
export async function updateVersioned<T extends RecordEntity>(
  manager: EntityManager,
  target: RecordTarget<T>,
  id: string,
  changes: ObjectLiteral,
  expectedVersion: number,
): Promise<void> {
  const qb = manager
    .createQueryBuilder()
    .update(target)
    .set({ ...withoutUndefined(changes), version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id', { id })
    .andWhere('archived_at IS NULL')
    .andWhere('version = :expectedVersion', { expectedVersion });
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
  expectedVersion: number,
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

/** Ids that must name live records of `target`; errors are reported as `field(i)` or `field[i]`. */
export interface ReferenceCheck {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  target: RecordTarget<any>;
  ids: readonly string[];
  field: string | ((index: number) => string);
}

/**
 * The references that name no live record, every one at once, each against its own field
 * (`sourceIds[2]`, `participants[0].personId`); callers add checks of their own and throw one
 * `InvalidInputError` with all of them.
 */
export async function missingRecords(manager: EntityManager, checks: ReferenceCheck[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const { target, ids, field } of checks) {
    if (ids.length === 0) continue;
    const found = await manager
      .createQueryBuilder(target, 'record')
      .select('record.id', 'id')
      .where('record.id IN (:...ids)', { ids })
      .andWhere('record.archivedAt IS NULL')
      .getRawMany<{ id: string }>();
    const existing = new Set(found.map((r) => r.id));
    ids.forEach((id, i) => {
      if (existing.has(id)) return;
      errors.push({
        field: typeof field === 'string' ? `${field}[${i}]` : field(i),
        message: `no ${recordName(target).toLowerCase()} with id ${id}`,
      });
    });
  }
  return errors;
}

/**
 * Makes the ids linked to one record through a many-to-many relation (such as a record's
 * `sources`) exactly `ids`, adding and removing only the difference.
 */
export async function replaceRelationIds<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  relation: string,
  ownerId: string,
  ids: readonly string[],
): Promise<void> {
  const linked = () => manager.createQueryBuilder().relation(target, relation).of(ownerId);
  const current = (await linked().loadMany<{ id: string }>()).map((other) => other.id);
  await linked().addAndRemove(
    ids.filter((id) => !current.includes(id)),
    current.filter((id) => !ids.includes(id)),
  );
}
