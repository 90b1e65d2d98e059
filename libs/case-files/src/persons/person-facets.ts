import type { Actor } from '#common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { CASE_STAGES } from '../cases/case.js';
import { CUSTODY_STATUSES } from '../custody/custody.js';
import { caseVisible } from '../visibility.js';
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
 * Facet counts of the persons `qb` selects: `qb` is the person list query (persons aliased as in
 * `applyPersonFilters`, with every filter of the list applied, `q` included), and is cloned at
 * once, before anything is awaited, so the caller may go on to paginate it. Its ordering, limit
 * and offset are dropped. The filter must not repeat a person (conditions as `EXISTS`, as
 * `applyPersonFilters` writes them, or a join that yields one row per person). It runs on
 * `manager` (the data source's by default; pass the transaction's when there is one).
 *
 * One statement: the matching persons, with their status as the reader sees it
 * (`currentStatusSql`), are materialised once; status and country are counted in one pass over
 * them (grouping sets), stages from the live cases the reader may see in which they are a
 * defendant, each (person, stage) pair once. JIT compilation is turned off for it: the planner's
 * estimate of the per-row grant lookups is far above the JIT threshold, and compiling takes
 * longer than the whole query.
 */
export async function facetCounts(
  qb: SelectQueryBuilder<PersonEntity>,
  reader: Actor,
  manager: EntityManager = qb.connection.manager,
): Promise<PersonFacetsView> {
  const alias = qb.alias;
  const status = currentStatusSql(reader, alias);
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
    .setParameters(status.params);
  // Raw SQL around the builder's, with column names (and aliases that need no quoting).
  const visibleCase = caseVisible(reader, 'facet_case');
  const sql = `
    WITH matching AS MATERIALIZED (${matching.getQuery()})
    SELECT CASE WHEN GROUPING(matching.status) = 0 THEN 'status' ELSE 'country' END AS facet,
           CASE WHEN GROUPING(matching.status) = 0 THEN CAST(matching.status AS text)
                ELSE CAST(matching.country AS text) END AS key,
           CAST(count(*) AS int) AS count
      FROM matching
     GROUP BY GROUPING SETS ((matching.status), (matching.country))
    UNION ALL
    SELECT 'stage', stages.stage, CAST(count(*) AS int) FROM (
      SELECT DISTINCT matching.id, CAST(facet_case.stage AS text) AS stage
        FROM matching
        JOIN case_participants facet_participant
          ON facet_participant.person_id = matching.id AND facet_participant.role = 'defendant'
        JOIN cases facet_case
          ON facet_case.id = facet_participant.case_id AND facet_case.archived_at IS NULL AND ${visibleCase.sql}
    ) stages GROUP BY stages.stage`;
  const [query, parameters] = qb.connection.driver.escapeQueryWithParameters(sql, {
    ...matching.getParameters(),
    ...visibleCase.params,
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
