import type { Actor } from '#common';
import type { EntityManager } from 'typeorm';

/**
 * What an access grant can name: restricted material hangs off a person or a case. `null` is
 * for material no grant opens (restricted sources): admins only.
 */
export type GrantTarget = 'person' | 'case' | null;

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * SQL that is true when `actor` may see the restricted material of the person or case whose id
 * is `idExpression`: admins always, other users with a grant on it, API keys never.
 */
export function clearanceCondition(actor: Actor, target: GrantTarget, idExpression: string): SqlCondition {
  if (actor.ceiling) return { sql: 'FALSE', params: {} };
  if (actor.role === 'admin') return { sql: 'TRUE', params: {} };
  if (target === null || actor.kind !== 'user' || !actor.id) return { sql: 'FALSE', params: {} };
  return {
    sql: `EXISTS (SELECT 1 FROM access_grants g WHERE g.user_id = :accessActorId AND g.${target}_id = ${idExpression})`,
    params: { accessActorId: actor.id },
  };
}

/**
 * SQL that is true when `actor` may see a record: anything not restricted, and restricted
 * records only with clearance on `target` (the record itself, or the person or case it belongs to).
 */
export function visibleCondition(
  actor: Actor,
  visibilityColumn: string,
  target: GrantTarget,
  idExpression: string,
): SqlCondition {
  if (actor.ceiling) return audienceCondition(actor.ceiling, visibilityColumn);
  const clearance = clearanceCondition(actor, target, idExpression);
  if (clearance.sql === 'TRUE') return clearance;
  return { sql: `(${visibilityColumn} <> 'restricted' OR ${clearance.sql})`, params: clearance.params };
}

function audienceCondition(ceiling: 'public' | 'internal', visibilityColumn: string): SqlCondition {
  const sql = ceiling === 'public' ? `${visibilityColumn} = 'public'` : `${visibilityColumn} <> 'restricted'`;
  return { sql, params: {} };
}

/**
 * SQL that is true when `reader` may see a record no grant opens (a source): admins see all,
 * everyone else what is not restricted, and a report no more than its audience may see.
 */
export function adminOnlyRestrictedCondition(reader: Actor, visibilityColumn: string): SqlCondition {
  if (reader.ceiling) return audienceCondition(reader.ceiling, visibilityColumn);
  return visibleCondition(reader, visibilityColumn, null, 'NULL');
}

/** Whether `actor` may see the restricted material of one person or case. */
export async function hasClearance(
  manager: EntityManager,
  actor: Actor,
  target: GrantTarget,
  id: string,
): Promise<boolean> {
  const { sql, params } = clearanceCondition(actor, target, ':targetId');
  if (sql === 'TRUE' || sql === 'FALSE') return sql === 'TRUE';
  const row = await manager
    .createQueryBuilder()
    .select(sql, 'granted')
    .fromDummy()
    .setParameters({ ...params, targetId: id })
    .getRawOne<{ granted: boolean }>();
  return row?.granted === true;
}
