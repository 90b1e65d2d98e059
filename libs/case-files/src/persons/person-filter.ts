import type { Actor, Visibility } from '#common';
import type { SelectQueryBuilder } from 'typeorm';
import type { CaseStage } from '../cases/case.js';
import { CaseParticipantEntity } from '../cases/case.entity.js';
import { CustodyEventEntity } from '../custody/custody-event.entity.js';
import type { CustodyStatus } from '../custody/custody.js';
import { HearingEntity } from '../hearings/hearing.entity.js';
import { caseVisible, childVisible, personVisible, where } from '../visibility.js';
import type { PersonEntity } from './person.entity.js';

/**
 * Which persons to list: every given criterion must hold; an absent one (or an empty list) sets
 * no condition. The case criteria (`eventId`, `stage`, `hearingWithinDays`) concern cases in
 * which the person is a defendant, the role campaigns are about, and must all be met by one and
 * the same case ("defendants of that event whose trial has a hearing this week", not a defendant
 * of the event with a hearing in an unrelated case).
 */
export interface PersonFilter {
  country?: string;
  visibility?: Visibility;
  /** Current custody: the latest custody event the reader may see. */
  status?: CustodyStatus[];
  /** The mass event the case belongs to. */
  eventId?: string;
  stage?: CaseStage[];
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
    qb.andWhere(`${currentStatus(qb, reader)} IN (:...personFilterStatuses)`, {
      personFilterStatuses: filter.status,
    });
  }
  if (filter.eventId || filter.stage?.length || filter.hearingWithinDays !== undefined) {
    qb.andWhere(`EXISTS ${matchingCase(qb, filter, reader, now)}`);
  }
  return qb;
}

/**
 * The status of the person's latest live custody event the reader may see, in the order
 * `deriveCurrentCustody` uses (partial-date sort key, coarser date first on the same day, then
 * recording order), so that the filter agrees with the `currentCustody` the reader is shown.
 */
function currentStatus(qb: SelectQueryBuilder<PersonEntity>, reader: Actor): string {
  const latest = qb
    .subQuery()
    .select('filterCustody.status')
    .from(CustodyEventEntity, 'filterCustody')
    .where('filterCustody.personId = person.id')
    .andWhere('filterCustody.archivedAt IS NULL');
  where(latest, childVisible(reader, 'filterCustody', 'person', 'filterCustody.personId'));
  return latest
    .orderBy('filterCustody.from_sort', 'DESC')
    .addOrderBy('length(filterCustody.from_date)', 'DESC')
    .addOrderBy('filterCustody.seq', 'DESC')
    .limit(1)
    .getQuery();
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
    .andWhere('filterHearing.startsAt BETWEEN :personFilterHearingFrom AND :personFilterHearingUntil', {
      personFilterHearingFrom: from,
      personFilterHearingUntil: until,
    });
  where(hearings, childVisible(reader, 'filterHearing', 'case', 'filterHearing.caseId'));
  return hearings.getQuery();
}
