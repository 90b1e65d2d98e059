import { clearanceCondition } from '#access';
import type { Actor, Visibility } from '#common';
import type { SelectQueryBuilder } from 'typeorm';
import type { CaseStage } from '../cases/case.js';
import { CaseParticipantEntity, ChargeEntity } from '../cases/case.entity.js';
import type { CustodyStatus } from '../custody/custody.js';
import { HearingEntity } from '../hearings/hearing.entity.js';
import { caseVisible, childVisible, personVisible, type SqlCondition, where } from '../visibility.js';
import type { PersonEntity } from './person.entity.js';

/**
 * Which persons to list: every given criterion must hold; an absent one (or an empty list) sets
 * no condition. The case criteria (`eventId`, `stage`, `article`, `hearingWithinDays`) concern
 * cases in which the person is a defendant, the role campaigns are about, and must all be met by
 * one and the same case ("defendants of that event whose trial has a hearing this week", not a
 * defendant of the event with a hearing in an unrelated case).
 */
export interface PersonFilter {
  country?: string;
  visibility?: Visibility;
  /** Current custody: the latest custody event the reader may see. */
  status?: CustodyStatus[];
  /** The mass event the case belongs to. */
  eventId?: string;
  stage?: CaseStage[];
  /** The case has a charge under one of these articles (as written in the charge, exactly). */
  article?: string[];
  /** The case has a scheduled hearing starting within this many days (of 24 hours) from now. */
  hearingWithinDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Narrows `qb` (persons aliased `person`) to the live persons `reader` may see that match
 * `filter`. Each criterion is SQL evaluated with the reader's visibility on every row it reads,
 * so a restricted custody event, case or hearing can neither make a person match nor be
 * discovered by filtering on it. Parameters are named `personFilter...` so that they cannot
 * collide with the caller's own (TypeORM parameters are shared by the whole query); only the
 * visibility conditions' `:accessActorId` is shared, and it is the same reader throughout.
 */
export function applyPersonFilters(
  qb: SelectQueryBuilder<PersonEntity>,
  filter: PersonFilter,
  reader: Actor,
  now = new Date(),
): SelectQueryBuilder<PersonEntity> {
  qb.andWhere('person.archivedAt IS NULL');
  where(qb, personVisible(reader));
  if (filter.country) qb.andWhere('person.country = :personFilterCountry', { personFilterCountry: filter.country });
  if (filter.visibility) {
    qb.andWhere('person.visibility = :personFilterVisibility', { personFilterVisibility: filter.visibility });
  }
  if (filter.status?.length) {
    const status = currentStatusSql(reader);
    // The reader's status is one of the two stored columns it chooses between: the first
    // condition, implied by the second, lets an index on each column narrow the rows.
    const columns = status.columns.map((column) => `${column} IN (:...personFilterStatuses)`).join(' OR ');
    qb.andWhere(`(${columns}) AND ${status.sql} IN (:...personFilterStatuses)`, {
      ...status.params,
      personFilterStatuses: filter.status,
    });
  }
  if (filter.eventId || filter.stage?.length || filter.article?.length || filter.hearingWithinDays !== undefined) {
    qb.andWhere(`EXISTS ${matchingCase(qb, filter, reader, now)}`);
  }
  return qb;
}

/**
 * SQL for the current custody status of the person aliased `alias` as `reader` sees it: the
 * status of the latest live custody event the reader may see, which is one of the columns
 * `refreshCurrentStatus` keeps on `persons` (so that it agrees with the `currentCustody` the
 * reader is shown, without reading the custody history):
 * - a report for the public: the latest public event;
 * - an internal report, an API key, a user without a grant on the person: the latest event that
 *   is not restricted;
 * - an admin, a user granted access to the person: the latest event of any visibility.
 * For ordinary users the grant is looked up only for persons whose two statuses differ (those
 * with a restricted event later than every other). `columns` are the stored columns the result
 * is always one of. Property paths (`person.currentStatusAll`): for TypeORM query builders.
 */
export function currentStatusSql(reader: Actor, alias = 'person'): SqlCondition & { columns: string[] } {
  const all = `${alias}.currentStatusAll`;
  const unrestricted = `${alias}.currentStatusUnrestricted`;
  if (reader.ceiling === 'public') {
    const column = `${alias}.currentStatusPublic`;
    return { sql: column, params: {}, columns: [column] };
  }
  const clearance = clearanceCondition(reader, 'person', `${alias}.id`);
  if (clearance.sql === 'TRUE') return { sql: all, params: {}, columns: [all] };
  if (clearance.sql === 'FALSE') return { sql: unrestricted, params: {}, columns: [unrestricted] };
  return {
    sql: `(CASE WHEN ${all} IS NOT DISTINCT FROM ${unrestricted} THEN ${unrestricted} WHEN ${clearance.sql} THEN ${all} ELSE ${unrestricted} END)`,
    params: clearance.params,
    columns: [unrestricted, all],
  };
}

/** A live case the reader may see, with the person as defendant, meeting every case criterion. */
function matchingCase(qb: SelectQueryBuilder<PersonEntity>, filter: PersonFilter, reader: Actor, now: Date): string {
  const visible = caseVisible(reader, 'filterCase');
  const cases = qb
    .subQuery()
    .select('1')
    .from(CaseParticipantEntity, 'filterParticipant')
    .innerJoin(
      'filterParticipant.case',
      'filterCase',
      `filterCase.archivedAt IS NULL AND ${visible.sql}`,
      visible.params,
    )
    .where('filterParticipant.personId = person.id')
    .andWhere("filterParticipant.role = 'defendant'");
  if (filter.eventId) {
    cases.andWhere('filterCase.eventId = :personFilterEventId', { personFilterEventId: filter.eventId });
  }
  if (filter.stage?.length) {
    cases.andWhere('filterCase.stage IN (:...personFilterStages)', { personFilterStages: filter.stage });
  }
  if (filter.article?.length) {
    const charges = cases
      .subQuery()
      .select('1')
      .from(ChargeEntity, 'filterCharge')
      .where('filterCharge.caseId = filterCase.id')
      .andWhere('filterCharge.article IN (:...personFilterArticles)', { personFilterArticles: filter.article });
    cases.andWhere(`EXISTS ${charges.getQuery()}`);
  }
  if (filter.hearingWithinDays !== undefined) {
    const until = new Date(now.getTime() + filter.hearingWithinDays * DAY_MS);
    cases.andWhere(`EXISTS ${upcomingHearing(cases, reader, now, until)}`);
  }
  return cases.getQuery();
}

/** A live, scheduled hearing of `filterCase` the reader may see, starting between `from` and `until`. */
function upcomingHearing(
  cases: SelectQueryBuilder<CaseParticipantEntity>,
  reader: Actor,
  from: Date,
  until: Date,
): string {
  const hearings = cases
    .subQuery()
    .select('1')
    .from(HearingEntity, 'filterHearing')
    .where('filterHearing.caseId = filterCase.id')
    .andWhere('filterHearing.archivedAt IS NULL')
    .andWhere("filterHearing.status = 'scheduled'")
    // The window of GET /hearings/upcoming: from now, up to (not including) N days later.
    .andWhere(
      'filterHearing.startsAt >= :personFilterHearingFrom AND filterHearing.startsAt < :personFilterHearingUntil',
      {
        personFilterHearingFrom: from,
        personFilterHearingUntil: until,
      },
    );
  where(hearings, childVisible(reader, 'filterHearing', 'case', 'filterHearing.caseId'));
  return hearings.getQuery();
}
