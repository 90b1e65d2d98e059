import { type SqlCondition, visibleCondition } from '#access';
import type { Actor, FieldError } from '#common';
import type { EntityManager } from 'typeorm';

/**
 * What alerts need to know of the records they point at (cases, persons, mass events), read
 * with SQL over their tables: the case files are another library, and the worker, which also
 * loads this module, does not register their entities.
 */

/** The kinds of record a subscription can follow, with their table and the name used in messages. */
export const TARGET_TABLES = {
  case: { table: 'cases', name: 'case', field: 'caseId', grant: 'case' },
  person: { table: 'persons', name: 'person', field: 'personId', grant: 'person' },
  event: { table: 'events', name: 'event', field: 'eventId', grant: null },
} as const;

export type TargetKind = keyof typeof TARGET_TABLES;

export interface TargetRules {
  /** Refuse restricted records even to readers who may see them (alerts never carry them). */
  refuseRestricted?: boolean;
}

/**
 * Whether `id` names a live record of `kind` that `actor` may see (and, with `refuseRestricted`,
 * that is not restricted); a field error naming `field` otherwise, worded as for an unknown id.
 */
export async function targetProblem(
  manager: EntityManager,
  actor: Actor,
  kind: TargetKind,
  id: string,
  field: string,
  rules: TargetRules = {},
): Promise<FieldError | null> {
  const { table, name, grant } = TARGET_TABLES[kind];
  const qb = manager
    .createQueryBuilder()
    .select('t.id', 'id')
    .from(table, 't')
    .where('t.id = :id', { id })
    .andWhere('t.archived_at IS NULL');
  if (kind !== 'event') {
    const condition = visibleCondition(actor, 't.visibility', grant, 't.id');
    if (condition.sql !== 'TRUE') qb.andWhere(condition.sql, condition.params);
    if (rules.refuseRestricted) qb.andWhere(`t.visibility <> 'restricted'`);
  }
  const found = await qb.getRawOne<{ id: string }>();
  return found ? null : { field, message: `no ${name} with id ${id}` };
}

/** The ids among `ids` of persons (archived or not) that `reader` may see. */
export async function visiblePersonIds(manager: EntityManager, reader: Actor, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const qb = manager.createQueryBuilder().select('p.id', 'id').from('persons', 'p').where('p.id IN (:...ids)', {
    ids: unique,
  });
  const condition = visibleCondition(reader, 'p.visibility', 'person', 'p.id');
  if (condition.sql !== 'TRUE') qb.andWhere(condition.sql, condition.params);
  return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
}

/**
 * SQL (over a subscription aliased `alias`) that is true when `reader` may see what it follows:
 * a case or person the reader may see (archived or not), or any mass event.
 */
export function followedVisible(reader: Actor, alias: string): SqlCondition {
  const caseVisible = visibleCondition(reader, 'c.visibility', 'case', 'c.id');
  const personVisible = visibleCondition(reader, 'p.visibility', 'person', 'p.id');
  if (caseVisible.sql === 'TRUE' && personVisible.sql === 'TRUE') return { sql: 'TRUE', params: {} };
  return {
    sql: `((${alias}.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = ${alias}.case_id AND ${caseVisible.sql}))
       AND (${alias}.person_id IS NULL OR EXISTS (SELECT 1 FROM persons p WHERE p.id = ${alias}.person_id AND ${personVisible.sql})))`,
    params: { ...caseVisible.params, ...personVisible.params },
  };
}
