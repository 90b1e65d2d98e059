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
  const current = (await loadRelationIds(manager, target, relation, [ownerId])).get(ownerId)!;
  await manager
    .createQueryBuilder()
    .relation(target, relation)
    .of(ownerId)
    .addAndRemove(
      ids.filter((id) => !current.includes(id)),
      current.filter((id) => !ids.includes(id)),
    );
}

/** Ids to read with `loadRelationIds`: those linked to `ownerIds` through `target`'s `relation`. */
export interface RelationIdsQuery {
  target: EntityTarget<ObjectLiteral>;
  relation: string;
  ownerIds: readonly string[];
}

/**
 * The ids linked to each of `ownerIds` (uuids) through a many-to-many relation that `target`
 * owns (such as a record's `sources`), read from the join table alone, in one query for all the
 * owners. Every owner has an entry (empty when nothing is linked), its ids in ascending order:
 * PostgreSQL's order of uuids, which is also that of their text. Linked records count whatever
 * their state (an archived source is still cited); leaving out what a reader may not see is for
 * the caller. The case files load their records' source ids with it where they show them:
 * TypeORM's `@RelationId` would load them with every query of the entity, joins included.
 */
export async function loadRelationIds(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  relation: string,
  ownerIds: readonly string[],
): Promise<Map<string, string[]>> {
  const [linked] = await loadRelationIdsOf(manager, [{ target, relation, ownerIds }]);
  return linked;
}

/** `loadRelationIds` for several relations (of different tables) in one statement, a map for each. */
export async function loadRelationIdsOf<const Q extends readonly RelationIdsQuery[]>(
  manager: EntityManager,
  queries: Q,
): Promise<{ [K in keyof Q]: Map<string, string[]> }> {
  // Keyed as the caller spells the ids; PostgreSQL answers with its own spelling (lower case).
  const stored = queries.map(({ ownerIds }) => new Map(ownerIds.map((id) => [id.toLowerCase(), [] as string[]])));
  const linked = queries.map(
    ({ ownerIds }, i) => new Map(ownerIds.map((id) => [id, stored[i]!.get(id.toLowerCase())!])),
  );
  const escape = (name: string) => manager.connection.driver.escape(name);
  const selects: string[] = [];
  const parameters: string[][] = [];
  queries.forEach(({ target, relation }, i) => {
    if (stored[i]!.size === 0) return;
    const metadata = manager.connection.getMetadata(target);
    const join = metadata.findRelationWithPropertyPath(relation);
    const [owner] = join?.joinColumns ?? [];
    const [other] = join?.inverseJoinColumns ?? [];
    if (!join?.isManyToMany || !join.isOwning || !join.junctionEntityMetadata || !owner || !other) {
      throw new Error(`${metadata.name}.${relation} is not a many-to-many relation that it owns`);
    }
    const table = join.junctionEntityMetadata.tablePath.split('.').map(escape).join('.');
    parameters.push([...stored[i]!.keys()]);
    selects.push(
      `SELECT ${i} AS query, ${escape(owner.databaseName)} AS owner, ${escape(other.databaseName)} AS id ` +
        `FROM ${table} WHERE ${escape(owner.databaseName)} = ANY($${parameters.length})`,
    );
  });
  const result = linked as { [K in keyof Q]: Map<string, string[]> };
  if (selects.length === 0) return result;
  const rows = await manager.query<Array<{ query: number; owner: string; id: string }>>(
    `${selects.join(' UNION ALL ')} ORDER BY id`,
    parameters,
  );
  for (const row of rows) stored[row.query]!.get(row.owner)!.push(row.id);
  return result;
}
