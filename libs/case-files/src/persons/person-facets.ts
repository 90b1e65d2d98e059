import { clearanceCondition } from '#access';
import type { Actor } from '#common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { CASE_STAGES } from '../cases/case.js';
import { stageBitSql } from '../cases/defendant-stages.js';
import { CUSTODY_STATUSES } from '../custody/custody.js';
import type { SqlCondition } from '../visibility.js';
import { currentStatusSql } from './person-filter.js';
import type { PersonEntity } from './person.entity.js';

export class FacetCountView {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'pretrial-detention',
    description: 'The value; null for persons without one (no custody event you may see, no country).',
  })
  key!: string | null;

  @ApiProperty({ type: 'integer', example: 12 })
  count!: number;
}

/**
 * Counts over every person matching the filter (all pages, not only the one returned), as the
 * reader sees them: restricted persons, events and cases the reader may not see are not counted.
 * Each list is ordered by count (largest first), then by key, null last; values no matching
 * person has are left out.
 */
export class PersonFacetsView {
  @ApiProperty({ type: 'integer', example: 140, description: 'How many persons match the filter.' })
  total!: number;

  @ApiProperty({
    type: [FacetCountView],
    description: `Persons per current custody status (the latest custody event you may see; key one of ${CUSTODY_STATUSES.join(', ')}), null for none. Adds up to \`total\`.`,
  })
  status!: FacetCountView[];

  @ApiProperty({
    type: [FacetCountView],
    description: 'Persons per country (ISO 3166-1 alpha-2), null for none. Adds up to `total`.',
  })
  country!: FacetCountView[];

  @ApiProperty({
    type: [FacetCountView],
    description: `Persons per stage (${CASE_STAGES.join(', ')}) of the live cases you may see in which they are a defendant: a person is counted once for each distinct stage of their cases, and not at all without such a case.`,
  })
  stage!: FacetCountView[];
}

type FacetName = 'status' | 'country' | 'stage';

interface FacetRow {
  facet: FacetName;
  key: string | null;
  count: number;
}

function byCountThenKey(a: FacetCountView, b: FacetCountView): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}

/**
 * The stored stages (bits, see `stageBitSql`) of the cases `reader` may see in which the person
 * aliased `alias` is a defendant (the columns `refreshDefendantStages` keeps): the public cases' for a report for the
 * public; all cases' for an admin; otherwise those of the cases that are not restricted, to
 * which `grantedCases` (SQL on `facet_case`) adds the restricted ones a user is granted, if any.
 * This is exactly what `caseVisible` lets the reader see. Property paths: for TypeORM builders.
 */
function defendantStagesSql(reader: Actor, alias: string): { column: string; grantedCases: SqlCondition | null } {
  if (reader.ceiling === 'public') return { column: `${alias}.defendantStageBitsPublic`, grantedCases: null };
  const clearance = clearanceCondition(reader, 'case', 'facet_case.id');
  if (clearance.sql === 'TRUE') return { column: `${alias}.defendantStageBitsAll`, grantedCases: null };
  return {
    column: `${alias}.defendantStageBitsUnrestricted`,
    grantedCases: clearance.sql === 'FALSE' ? null : clearance,
  };
}

/**
 * Facet counts of the persons `qb` selects: `qb` is the person list query (persons aliased as in
 * `applyPersonFilters`, with every filter of the list applied, `q` included), and is cloned at
 * once, before anything is awaited, so the caller may go on to paginate it. Its ordering, limit
 * and offset are dropped. The filter must not repeat a person (conditions as `EXISTS`, as
 * `applyPersonFilters` writes them, or a join that yields one row per person). It runs on
 * `manager` (the data source's by default; pass the transaction's when there is one).
 *
 * One statement, which reads nothing but the matching persons' rows: their status as the reader
 * sees it (`currentStatusSql`), their country and the stages of their cases as a defendant as
 * the reader sees them (`defendantStagesSql`: stored on `persons`; for a user with grants, with
 * the stages of the granted restricted cases added, found from the grants) are grouped once into
 * the few distinct combinations, from which each facet is summed. For an admin, an API key or a
 * report filtering by status, that is an index-only scan of the status index, which covers
 * these columns (migrations `DefendantStages`, `DefendantStageBits`). The stages are bits, so
 * that the grouping hashes an integer, not an array; the stage facet reads them out at the end.
 */
export async function facetCounts(
  qb: SelectQueryBuilder<PersonEntity>,
  reader: Actor,
  manager: EntityManager = qb.connection.manager,
): Promise<PersonFacetsView> {
  const alias = qb.alias;
  const status = currentStatusSql(reader, alias);
  const stages = defendantStagesSql(reader, alias);
  const matching = qb
    .clone()
    .orderBy()
    .limit(undefined)
    .offset(undefined)
    .take(undefined)
    .skip(undefined)
    .select(`${alias}.id`, 'id')
    .addSelect(status.sql, 'status')
    .addSelect(`${alias}.country`, 'country')
    .addSelect(stages.column, 'stages')
    .setParameters(status.params);
  // Raw SQL around the builder's, with column names (and aliases that need no quoting). A
  // person's granted restricted cases add their stages to the stored ones (an OR of the bits).
  const granted = stages.grantedCases;
  const personStages = granted ? 'matching.stages | COALESCE(facet_granted.stages, 0)' : 'matching.stages';
  const grantedJoin = granted
    ? `LEFT JOIN (
         SELECT facet_participant.person_id,
                bit_or(${stageBitSql('CAST(facet_case.stage AS text)', 'CAST(:facetStages AS text[])')}) AS stages
           FROM cases facet_case
           JOIN case_participants facet_participant
             ON facet_participant.case_id = facet_case.id AND facet_participant.role = 'defendant'
          WHERE facet_case.archived_at IS NULL AND facet_case.visibility = 'restricted' AND ${granted.sql}
          GROUP BY facet_participant.person_id
       ) facet_granted ON facet_granted.person_id = matching.id`
    : '';
  const sql = `
    WITH facet_groups AS MATERIALIZED (
      SELECT facet_person.status, facet_person.country, facet_person.stages, count(*) AS person_count
        FROM (SELECT matching.status, matching.country, ${personStages} AS stages
                FROM (${matching.getQuery()}) matching ${grantedJoin}) facet_person
       GROUP BY facet_person.status, facet_person.country, facet_person.stages)
    SELECT 'status' AS facet, CAST(status AS text) AS key, CAST(sum(person_count) AS int) AS count
      FROM facet_groups GROUP BY status
    UNION ALL
    SELECT 'country', CAST(country AS text), CAST(sum(person_count) AS int) FROM facet_groups GROUP BY country
    UNION ALL
    SELECT 'stage', facet_stage.stage, CAST(sum(person_count) AS int)
      FROM facet_groups
      JOIN unnest(CAST(:facetStages AS text[])) WITH ORDINALITY AS facet_stage(stage, bit)
        ON facet_groups.stages & (1 << CAST(facet_stage.bit - 1 AS int)) <> 0
     GROUP BY facet_stage.stage`;
  const [query, parameters] = qb.connection.driver.escapeQueryWithParameters(sql, {
    ...matching.getParameters(),
    facetStages: CASE_STAGES,
    ...granted?.params,
  });
  // JIT is off on every connection (dataSourceOptions): it cost more than this query itself.
  const rows = await manager.query<FacetRow[]>(query, parameters);
  const facet = (name: FacetName) =>
    rows
      .filter((r) => r.facet === name)
      .map((r) => ({ key: r.key, count: r.count }))
      .sort(byCountThenKey);
  const statuses = facet('status');
  return {
    total: statuses.reduce((sum, s) => sum + s.count, 0),
    status: statuses,
    country: facet('country'),
    stage: facet('stage'),
  };
}
