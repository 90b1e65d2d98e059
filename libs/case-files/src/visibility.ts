import { type GrantTarget, hasClearance, type SqlCondition, visibleCondition } from '#access';

export type { SqlCondition };
import { type Actor, ForbiddenError, NotFoundError, type Visibility } from '#common';
import { type RecordEntity, recordName } from '#database';
import type { EntityManager, EntityTarget, SelectQueryBuilder, WhereExpressionBuilder } from 'typeorm';

/**
 * Who sees what in the case files, as SQL added to every query (so that restricted records are
 * absent from lists and counts, not filtered afterwards):
 * - persons and cases: restricted ones only with clearance on themselves;
 * - custody events and person notes: their person must be visible, and restricted ones need
 *   clearance on that person;
 * - hearings and case notes: their case must be visible, and restricted ones need clearance on it.
 * Aliases are TypeORM aliases; property paths (`person.id`) are quoted by TypeORM.
 */
export const personVisible = (actor: Actor, alias = 'person') =>
  visibleCondition(actor, `${alias}.visibility`, 'person', `${alias}.id`);

export const caseVisible = (actor: Actor, alias = 'case') =>
  visibleCondition(actor, `${alias}.visibility`, 'case', `${alias}.id`);

/** A record that belongs to a person (`personIdPath`) or a case (`caseIdPath`). */
export const childVisible = (actor: Actor, alias: string, target: GrantTarget, parentIdPath: string) =>
  visibleCondition(actor, `${alias}.visibility`, target, parentIdPath);

export function where(qb: WhereExpressionBuilder, condition: SqlCondition): void {
  if (condition.sql !== 'TRUE') qb.andWhere(condition.sql, condition.params);
}

/**
 * Refuses to store restricted material for an actor who could not read it back: marking a
 * record restricted, or writing a restricted field, needs clearance on its person or case.
 */
export async function assertMayWriteRestricted(
  manager: EntityManager,
  actor: Actor,
  target: GrantTarget,
  id: string | null,
  restricted: { visibility?: Visibility | null; fields?: string[] },
): Promise<void> {
  const marking = restricted.visibility === 'restricted';
  const fields = restricted.fields ?? [];
  if (!marking && fields.length === 0) return;
  const cleared =
    actor.role === 'admin' || (target !== null && id !== null && (await hasClearance(manager, actor, target, id)));
  if (cleared) return;
  throw new ForbiddenError(
    marking
      ? 'Only admins, and users granted access to this person or case, may mark material restricted.'
      : `Only admins, and users granted access to this person or case, may write ${fields.join(', ')}.`,
  );
}

type VisibleTarget<T> = EntityTarget<T> & { name: string };

/**
 * Loads one record the actor may see, or throws NotFoundError: a record the actor may not see
 * is answered exactly like one that does not exist. `state: 'any'` includes archived records.
 */
export async function findVisible<T extends RecordEntity>(
  manager: EntityManager,
  target: VisibleTarget<T>,
  alias: string,
  id: string,
  conditions: SqlCondition[],
  options: { lock?: boolean; state?: 'live' | 'any'; join?: (qb: SelectQueryBuilder<T>) => void } = {},
): Promise<T> {
  const qb = manager.createQueryBuilder(target, alias).where(`${alias}.id = :id`, { id });
  if (options.state !== 'any') qb.andWhere(`${alias}.archivedAt IS NULL`);
  options.join?.(qb);
  for (const condition of conditions) where(qb, condition);
  // Only the record's own row is locked (`OF` is needed with joins; TypeORM does not quote it).
  if (options.lock) qb.setLock('pessimistic_write', undefined, options.join ? [alias] : undefined);
  const found = await qb.getOne();
  if (!found) throw new NotFoundError(recordName(target), id);
  return found;
}

/** The ids among `ids` of records of `target` that pass `conditions` (archived ones included). */
export async function visibleIdsOf<T extends RecordEntity>(
  manager: EntityManager,
  target: VisibleTarget<T>,
  alias: string,
  conditions: SqlCondition[],
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const qb = manager
    .createQueryBuilder(target, alias)
    .select(`${alias}.id`, 'id')
    .where(`${alias}.id IN (:...ids)`, { ids });
  for (const condition of conditions) where(qb, condition);
  return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
}
