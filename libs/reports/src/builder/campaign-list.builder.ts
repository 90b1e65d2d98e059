import { type Actor, audienceReader, groupBy, NotFoundError } from '#common';
import {
  applyPersonFilters,
  CaseParticipantEntity,
  CasesService,
  type CaseView,
  caseVisible,
  childVisible,
  type CustodyEventEntity,
  CustodyService,
  type CustodyStatus,
  HearingEntity,
  type PersonFilter,
  PersonEntity,
  PersonNameEntity,
  type Term,
  where,
} from '#case-files';
import { PartialDateColumns } from '#database';
import { EventsService } from '#reference-data';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  CampaignListData,
  CampaignRowData,
  CampaignSummaryData,
  ChargeData,
  CountData,
  HearingData,
  StatusCountData,
} from '../report-data.js';
import type { Audience } from '../reports.js';
import { ReportMetaFactory } from './report-meta.js';

/** Persons read per round trip: large enough to amortise the queries, small enough to stay flat. */
const PAGE_SIZE = 250;
const SUMMARY_WINDOW_DAYS = 30;

/** Time spent waiting for PostgreSQL while a list was built (what the benchmark compares against). */
export interface QueryClock {
  queryMs: number;
}

interface PersonPage {
  persons: PersonEntity[];
  names: Map<string, PersonNameEntity[]>;
  /** Each person's current custody event (the latest one the audience may see). */
  custody: Map<string, CustodyEventEntity>;
  cases: Map<string, CaseView[]>;
  /** Scheduled hearings in the summary window, per person (ids, to count shared hearings once). */
  soonHearings: Map<string, string[]>;
}

/**
 * Reads a campaign list: every person matching the filter (the filter of `GET /persons`), as the
 * report's audience may see them. It reads the persons twice, page by page: once for the summary
 * (which comes first in every format), once for the rows, which are yielded as they are read so
 * that memory stays flat however long the list. Run it inside one REPEATABLE READ transaction so
 * that both passes see the same data.
 */
@Injectable()
export class CampaignListBuilder {
  constructor(
    private readonly custody: CustodyService,
    private readonly cases: CasesService,
    private readonly meta: ReportMetaFactory,
    private readonly events: EventsService,
  ) {}

  async build(
    manager: EntityManager,
    filter: PersonFilter,
    audience: Audience,
    language: string,
    options: { now?: Date; clock?: QueryClock; onRow?: (done: number, total: number) => void } = {},
  ): Promise<CampaignListData> {
    const now = options.now ?? new Date();
    const clock = options.clock ?? { queryMs: 0 };
    const reader = audienceReader(audience);
    const pages = () => this.pages(manager, filter, reader, now, clock);
    const summary = await summarise(pages());
    const onRow = options.onRow;
    async function* rows(): AsyncGenerator<CampaignRowData> {
      let done = 0;
      for await (const page of pages()) {
        for (const person of page.persons) {
          yield rowOf(person, page);
          onRow?.(++done, summary.persons);
        }
      }
    }
    return {
      meta: this.meta.make('campaign', audience, language, now),
      filter: describeFilter(filter),
      eventName: filter.eventId ? await this.eventName(filter.eventId, reader) : null,
      summary,
      rows: rows(),
    };
  }

  /** The name of the filter's mass event, if the audience may see it (null when not, or not on record). */
  private async eventName(id: string, reader: Actor): Promise<string | null> {
    try {
      return (await this.events.get(id, reader)).name || null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  private async *pages(
    manager: EntityManager,
    filter: PersonFilter,
    reader: Actor,
    now: Date,
    clock: QueryClock,
  ): AsyncGenerator<PersonPage> {
    let after: string | null = null;
    for (;;) {
      const started = performance.now();
      const qb = applyPersonFilters(manager.createQueryBuilder(PersonEntity, 'person'), filter, reader, now);
      if (after !== null) qb.andWhere('person.seq > :afterSeq', { afterSeq: after });
      const persons = await qb.orderBy('person.seq', 'ASC').take(PAGE_SIZE).getMany();
      if (persons.length === 0) return;
      const page = await this.details(manager, persons, reader, now);
      clock.queryMs += performance.now() - started;
      yield page;
      if (persons.length < PAGE_SIZE) return;
      after = persons[persons.length - 1]!.seq;
    }
  }

  private async details(manager: EntityManager, persons: PersonEntity[], reader: Actor, now: Date) {
    const ids = persons.map((p) => p.id);
    const names = await manager
      .createQueryBuilder(PersonNameEntity, 'name')
      .where('name.personId IN (:...ids)', { ids })
      .orderBy('name.preferred', 'DESC')
      .addOrderBy('name.position')
      .getMany();
    // Events come oldest first: the last one seen per person is the current one.
    const events = await this.custody.load(manager, { personIds: ids }, reader);
    const visibleCase = caseVisible(reader);
    const participations = await manager
      .createQueryBuilder(CaseParticipantEntity, 'p')
      .innerJoin('p.case', 'case', `case.archivedAt IS NULL AND ${visibleCase.sql}`, visibleCase.params)
      .where('p.personId IN (:...ids)', { ids })
      .andWhere("p.role = 'defendant'")
      .getMany();
    const caseViews = await this.cases.load(manager, [...new Set(participations.map((p) => p.caseId))], reader);
    const caseById = new Map(caseViews.map((c) => [c.id, c]));
    const soon = await this.soonHearings(manager, participations, reader, now);
    return {
      persons,
      names: groupBy(names, (n) => n.personId),
      custody: new Map(events.map((e) => [e.personId, e])),
      cases: new Map(
        ids.map((id) => [
          id,
          participations.filter((p) => p.personId === id).flatMap((p) => caseById.get(p.caseId) ?? []),
        ]),
      ),
      soonHearings: new Map(
        ids.map((id) => [id, participations.filter((p) => p.personId === id).flatMap((p) => soon.get(p.caseId) ?? [])]),
      ),
    };
  }

  /** Ids of visible scheduled hearings in the summary window, per case. */
  private async soonHearings(
    manager: EntityManager,
    participations: CaseParticipantEntity[],
    reader: Actor,
    now: Date,
  ): Promise<Map<string, string[]>> {
    const caseIds = [...new Set(participations.map((p) => p.caseId))];
    if (caseIds.length === 0) return new Map();
    const until = new Date(now.getTime() + SUMMARY_WINDOW_DAYS * 86_400_000);
    const qb = manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .innerJoin('hearing.case', 'case')
      .where('hearing.caseId IN (:...caseIds)', { caseIds })
      .andWhere('hearing.archivedAt IS NULL')
      .andWhere("hearing.status = 'scheduled'")
      .andWhere('hearing.startsAt >= :soonFrom AND hearing.startsAt < :soonUntil', { soonFrom: now, soonUntil: until });
    where(qb, caseVisible(reader));
    where(qb, childVisible(reader, 'hearing', 'case', 'hearing.caseId'));
    const hearings = await qb.getMany();
    return groupBy(
      hearings.map((h) => ({ caseId: h.caseId, id: h.id })),
      (h) => h.caseId,
      (h) => h.id,
    );
  }
}

function rowOf(person: PersonEntity, page: PersonPage): CampaignRowData {
  const names = page.names.get(person.id) ?? [];
  const custody = page.custody.get(person.id) ?? null;
  const cases = page.cases.get(person.id) ?? [];
  return {
    name: person.displayName,
    otherNames: names.filter((n) => !n.preferred).map((n) => n.value),
    country: person.country,
    status: custody?.status ?? null,
    statusSince: custody ? PartialDateColumns.toPartialDate(custody.from) : null,
    place: custody ? [custody.facility, custody.place].filter(Boolean).join(', ') || null : null,
    charges: distinctCharges(cases),
    stage: currentStage(cases),
    nextHearing: nextHearing(cases),
    sentence: longest(
      cases.flatMap((c) => (c.outcome?.verdict === 'convicted' && c.outcome.sentence ? [c.outcome.sentence] : [])),
    ),
  };
}

function distinctCharges(cases: CaseView[]): ChargeData[] {
  const seen = new Map<string, ChargeData>();
  for (const charge of cases.flatMap((c) => c.charges)) {
    const key = charge.article ?? charge.description;
    if (!seen.has(key)) {
      seen.set(key, { article: charge.article, description: charge.description, maxSentence: charge.maxSentence });
    }
  }
  return [...seen.values()];
}

/** The stage of the latest open case, or of the latest case when all are closed. */
function currentStage(cases: CaseView[]): CampaignRowData['stage'] {
  const byRecency = [...cases].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (byRecency.find((c) => c.stage !== 'closed') ?? byRecency[0])?.stage ?? null;
}

function nextHearing(cases: CaseView[]): HearingData | null {
  const next = cases
    .flatMap((c) => (c.nextHearing ? [{ hearing: c.nextHearing, title: c.title, court: c.court }] : []))
    .sort((a, b) => a.hearing.startsAt.localeCompare(b.hearing.startsAt))[0];
  if (!next) return null;
  const h = next.hearing;
  return {
    startsAt: h.startsAt,
    timeZone: h.timeZone,
    court: h.court ?? next.court,
    courtroom: h.courtroom,
    kind: h.kind,
    status: h.status,
    outcome: h.outcome,
    caseTitle: next.title,
  };
}

export function termMonths(term: Term): number {
  return (term.years ?? 0) * 12 + (term.months ?? 0) + Math.round((term.days ?? 0) / 30);
}

function longest(terms: Term[]): Term | null {
  return terms.reduce<Term | null>((best, t) => (best === null || termMonths(t) > termMonths(best) ? t : best), null);
}

async function summarise(pages: AsyncIterable<PersonPage>): Promise<CampaignSummaryData> {
  const byStatus = new Map<CustodyStatus | null, number>();
  const byCharge = new Map<string, number>();
  const hearings = new Set<string>();
  const sentences = { count: 0, totalMonths: 0, longest: null as { name: string; term: Term } | null };
  let persons = 0;
  for await (const page of pages) {
    for (const person of page.persons) {
      persons += 1;
      const row = rowOf(person, page);
      // No custody recorded is not the status `unknown` (which an editor recorded): counted apart.
      increment(byStatus, row.status);
      for (const charge of row.charges) increment(byCharge, charge.article ?? charge.description);
      for (const id of page.soonHearings.get(person.id) ?? []) hearings.add(id);
      for (const c of page.cases.get(person.id) ?? []) {
        const sentence = c.outcome?.verdict === 'convicted' ? c.outcome.sentence : null;
        if (!sentence) continue;
        sentences.count += 1;
        sentences.totalMonths += termMonths(sentence);
        if (!sentences.longest || termMonths(sentence) > termMonths(sentences.longest.term)) {
          sentences.longest = { name: person.displayName, term: sentence };
        }
      }
    }
  }
  return {
    persons,
    byStatus: sortedStatusCounts(byStatus),
    byCharge: sortedCounts(byCharge),
    sentences,
    hearingsNext30Days: hearings.size,
  };
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** As the status facet of `GET /persons`: largest first, then by status, no custody recorded (null) last. */
function sortedStatusCounts(map: Map<CustodyStatus | null, number>): StatusCountData[] {
  const rank = (key: CustodyStatus | null) => (key === null ? '\uffff' : key);
  return [...map.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (rank(a.key) < rank(b.key) ? -1 : rank(a.key) > rank(b.key) ? 1 : 0));
}

function sortedCounts(map: Map<string, number>): CountData[] {
  return [...map.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The filter as `name: value` strings, for the report's header. */
function describeFilter(filter: PersonFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : String(value)]),
  );
}
