import { hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot, withoutHiddenReferences } from '#audit';
import { type Actor, DEFAULT_VISIBILITY, InvalidInputError, localIsoTime, type Page, type WriteContext } from '#common';
import { archiveRecord, paginate, recordMeta, restoreRecord, updateVersioned } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { CaseEntity, CaseParticipantEntity } from '../cases/case.entity.js';
import {
  assertMayWriteRestricted,
  caseVisible,
  childVisible,
  findVisible,
  personVisible,
  where,
} from '../visibility.js';
import { hearingStartProblem, parseHearingStart } from './hearing.js';
import {
  type CreateHearingDto,
  DEFAULT_UPCOMING_DAYS,
  type ListHearingsQueryDto,
  type UpcomingHearingsQueryDto,
  type UpdateHearingDto,
} from './hearing.dto.js';
import { HearingEntity } from './hearing.entity.js';
import type { HearingDefendantView, HearingView, UpcomingHearingView } from './hearing.view.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function hearingView(h: HearingEntity): HearingView {
  return recordMeta(h, {
    caseId: h.caseId,
    startsAt: h.startsAt.toISOString(),
    localStartsAt: localIsoTime(h.startsAt, h.timeZone),
    timeZone: h.timeZone,
    court: h.court,
    courtroom: h.courtroom,
    kind: h.kind,
    status: h.status,
    outcome: h.outcome,
    postponedToId: h.postponedToId,
    visibility: h.visibility,
  });
}

function snapshot(h: HearingEntity): Snapshot {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, localStartsAt: _l, ...fields } = hearingView(h);
  return { ...fields, archivedAt: h.archivedAt?.toISOString() ?? null };
}

function startsAtOrFail(value: string, timeZone: string): Date {
  const instant = parseHearingStart(value, timeZone);
  if (!instant) throw InvalidInputError.field('startsAt', hearingStartProblem(value, timeZone) ?? 'is invalid');
  return instant;
}

/**
 * Court hearings of cases. A hearing that will not take place is cancelled or postponed; only one
 * entered by mistake is archived. Hearings of an archived case, or of a case the reader may not
 * see, are out of sight with it; restricted hearings need clearance on their case.
 */
@Injectable()
export class HearingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async create(caseId: string, dto: CreateHearingDto, context: WriteContext): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      await findVisible(manager, CaseEntity, 'case', caseId, [caseVisible(context.actor)]);
      await assertMayWriteRestricted(manager, context.actor, 'case', caseId, { visibility: dto.visibility });
      if (dto.postponedToId) await this.assertPostponedTo(manager, caseId, dto.postponedToId, null, context.actor);
      const repo = manager.getRepository(HearingEntity);
      const saved = await repo.save(
        repo.create({
          caseId,
          startsAt: startsAtOrFail(dto.startsAt, dto.timeZone),
          timeZone: dto.timeZone,
          court: dto.court ?? null,
          courtroom: dto.courtroom ?? null,
          kind: dto.kind ?? 'other',
          status: dto.status ?? 'scheduled',
          outcome: dto.outcome ?? null,
          postponedToId: dto.postponedToId ?? null,
          visibility: dto.visibility ?? DEFAULT_VISIBILITY,
        }),
      );
      const stored = await this.findVisible(manager, saved.id, context.actor);
      await this.record(manager, context, 'create', null, stored);
      return this.presentOne(manager, stored, context.actor);
    });
  }

  async get(id: string, reader: Actor): Promise<HearingView> {
    const manager = this.dataSource.manager;
    return this.presentOne(manager, await this.findVisible(manager, id, reader), reader);
  }

  /** Hearings in time order (then by recording order), filtered by time window, case and status. */
  async list(query: ListHearingsQueryDto, reader: Actor): Promise<Page<HearingView>> {
    const qb = this.visibleHearings(this.dataSource.manager, reader);
    if (query.from) qb.andWhere('hearing.startsAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('hearing.startsAt < :to', { to: new Date(query.to) });
    if (query.caseId) qb.andWhere('hearing.caseId = :caseId', { caseId: query.caseId });
    if (query.status) qb.andWhere('hearing.status = :status', { status: query.status });
    const page = await paginate(
      qb,
      [
        { column: 'hearing.startsAt', read: (h) => h.startsAt.toISOString(), cast: 'timestamptz' },
        { column: 'hearing.seq', read: (h) => h.seq, cast: 'bigint' },
      ],
      query,
    );
    return { items: await this.present(this.dataSource.manager, page.items, reader), nextCursor: page.nextCursor };
  }

  /**
   * Scheduled hearings starting from `now` until `days` (of 24 hours) later, in time order (then
   * by recording order), each with its case and the defendants the reader may see: the week's
   * planning. Only live hearings of live cases the reader may see, as everywhere.
   */
  async upcoming(query: UpcomingHearingsQueryDto, reader: Actor, now = new Date()): Promise<Page<UpcomingHearingView>> {
    const manager = this.dataSource.manager;
    const until = new Date(now.getTime() + (query.days ?? DEFAULT_UPCOMING_DAYS) * DAY_MS);
    const qb = this.visibleHearings(manager, reader)
      .addSelect(['case.id', 'case.title', 'case.court', 'case.stage'])
      .andWhere("hearing.status = 'scheduled'")
      .andWhere('hearing.startsAt >= :upcomingFrom AND hearing.startsAt < :upcomingUntil', {
        upcomingFrom: now,
        upcomingUntil: until,
      });
    if (query.country) qb.andWhere('case.country = :upcomingCountry', { upcomingCountry: query.country });
    if (query.eventId) qb.andWhere('case.eventId = :upcomingEventId', { upcomingEventId: query.eventId });
    const page = await paginate(
      qb,
      [
        { column: 'hearing.startsAt', read: (h) => h.startsAt.toISOString(), cast: 'timestamptz' },
        { column: 'hearing.seq', read: (h) => h.seq, cast: 'bigint' },
      ],
      query,
    );
    const hearings = await this.present(manager, page.items, reader);
    const defendants = await this.defendants(manager, [...new Set(page.items.map((h) => h.caseId))], reader);
    return {
      items: page.items.map((h, i) => ({
        hearing: hearings[i]!,
        case: { id: h.case.id, title: h.case.title, court: h.case.court, stage: h.case.stage },
        defendants: defendants.get(h.caseId) ?? [],
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Hearings of one case the reader may see, in time order. */
  async listOfCase(
    caseId: string,
    page: { limit?: number; cursor?: string },
    reader: Actor,
  ): Promise<Page<HearingView>> {
    await findVisible(this.dataSource.manager, CaseEntity, 'case', caseId, [caseVisible(reader)]);
    return this.list({ ...page, caseId }, reader);
  }

  async update(id: string, dto: UpdateHearingDto, version: number, context: WriteContext): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.findVisible(manager, id, context.actor, { lock: true });
      await assertMayWriteRestricted(manager, context.actor, 'case', before.caseId, { visibility: dto.visibility });
      const timeZone = dto.timeZone ?? before.timeZone;
      if (timeZone !== before.timeZone && dto.startsAt === undefined) {
        // Keeping the instant would change the court's local time, keeping the local time the
        // instant: which one was wrong only the sender knows.
        throw InvalidInputError.field(
          'startsAt',
          `is required when timeZone changes: send the hearing's time in ${timeZone} (or the instant with Z), ` +
            'so that it cannot move by accident',
        );
      }
      if (dto.postponedToId) await this.assertPostponedTo(manager, before.caseId, dto.postponedToId, id, context.actor);
      await updateVersioned(
        manager,
        HearingEntity,
        id,
        {
          startsAt: dto.startsAt === undefined ? undefined : startsAtOrFail(dto.startsAt, timeZone),
          timeZone: dto.timeZone,
          court: dto.court,
          courtroom: dto.courtroom,
          kind: dto.kind,
          status: dto.status,
          outcome: dto.outcome,
          postponedToId: dto.postponedToId,
          visibility: dto.visibility,
        },
        version,
      );
      const after = await this.findVisible(manager, id, context.actor);
      await this.record(manager, context, 'update', before, after);
      return this.presentOne(manager, after, context.actor);
    });
  }

  /**
   * Archives a hearing entered by mistake (a hearing that will not take place is `cancelled`
   * or `postponed` instead, which keeps it in the record).
   */
  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.findVisible(manager, id, context.actor, { lock: true });
      await archiveRecord(manager, HearingEntity, id, version);
      const after = await this.findVisible(manager, id, context.actor, { state: 'any' });
      await this.record(manager, context, 'archive', before, after);
    });
  }

  async restore(id: string, context: WriteContext): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.findVisible(manager, id, context.actor, { lock: true, state: 'any' });
      if (before.archivedAt) {
        await restoreRecord(manager, HearingEntity, id);
        await this.record(manager, context, 'restore', before, await this.findVisible(manager, id, context.actor));
      }
      return this.presentOne(manager, await this.findVisible(manager, id, context.actor), context.actor);
    });
  }

  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    const hearing = await this.findVisible(manager, id, reader, { state: 'any' });
    const history = await this.audit.history('hearing', id, page, {
      clearance: await hasClearance(manager, reader, 'case', hearing.caseId),
      parent: { entityType: 'case', entityId: hearing.caseId },
    });
    return withoutHiddenReferences(history, { postponedToId: (ids) => this.visibleIds(manager, reader, ids) });
  }

  /** The next scheduled hearing of each case that the reader may see, keyed by case id. */
  async nextScheduled(
    manager: EntityManager,
    caseIds: string[],
    reader: Actor,
    now = new Date(),
  ): Promise<Map<string, HearingEntity>> {
    if (caseIds.length === 0) return new Map();
    const qb = manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .distinctOn(['hearing.caseId'])
      .where('hearing.caseId IN (:...caseIds)', { caseIds })
      .andWhere('hearing.archivedAt IS NULL')
      .andWhere("hearing.status = 'scheduled'")
      .andWhere('hearing.startsAt >= :now', { now });
    where(qb, childVisible(reader, 'hearing', 'case', 'hearing.caseId'));
    const rows = await qb.orderBy('hearing.caseId').addOrderBy('hearing.startsAt').getMany();
    return new Map(rows.map((h) => [h.caseId, h]));
  }

  /**
   * Views for one reader: the hearing a hearing was postponed to is named only if the reader may
   * see it (a restricted hearing's id is not shown to those it is hidden from).
   */
  async present(manager: EntityManager, hearings: HearingEntity[], reader: Actor): Promise<HearingView[]> {
    const targets = [...new Set(hearings.flatMap((h) => (h.postponedToId ? [h.postponedToId] : [])))];
    const visible = new Set(await this.visibleIds(manager, reader, targets));
    return hearings.map((h) => ({
      ...hearingView(h),
      postponedToId: h.postponedToId && visible.has(h.postponedToId) ? h.postponedToId : null,
    }));
  }

  /** The defendants of each case that the reader may see (live persons), in the case's order. */
  private async defendants(
    manager: EntityManager,
    caseIds: string[],
    reader: Actor,
  ): Promise<Map<string, HearingDefendantView[]>> {
    const byCase = new Map<string, HearingDefendantView[]>();
    if (caseIds.length === 0) return byCase;
    const visible = personVisible(reader);
    const rows = await manager
      .createQueryBuilder(CaseParticipantEntity, 'participant')
      .innerJoin('participant.person', 'person', `person.archivedAt IS NULL AND ${visible.sql}`, visible.params)
      .select('participant.caseId', 'caseId')
      .addSelect('person.id', 'id')
      .addSelect('person.displayName', 'displayName')
      .where('participant.caseId IN (:...caseIds)', { caseIds })
      .andWhere("participant.role = 'defendant'")
      .orderBy('participant.caseId')
      .addOrderBy('participant.position')
      .getRawMany<{ caseId: string; id: string; displayName: string }>();
    for (const { caseId, id, displayName } of rows) {
      const list = byCase.get(caseId) ?? [];
      if (list.length === 0) byCase.set(caseId, list);
      list.push({ id, displayName });
    }
    return byCase;
  }

  /** The ids among `ids` of live hearings the reader may see. */
  private async visibleIds(manager: EntityManager, reader: Actor, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.visibleHearings(manager, reader)
      .select('hearing.id', 'id')
      .andWhere('hearing.id IN (:...ids)', { ids })
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  private async presentOne(manager: EntityManager, hearing: HearingEntity, reader: Actor): Promise<HearingView> {
    return (await this.present(manager, [hearing], reader))[0]!;
  }

  /** Live hearings of live cases, as far as the reader may see them. */
  private visibleHearings(manager: EntityManager, reader: Actor): SelectQueryBuilder<HearingEntity> {
    const visibleCase = caseVisible(reader);
    const qb = manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .innerJoin('hearing.case', 'case', `case.archivedAt IS NULL AND ${visibleCase.sql}`, visibleCase.params)
      .where('hearing.archivedAt IS NULL');
    where(qb, childVisible(reader, 'hearing', 'case', 'hearing.caseId'));
    return qb;
  }

  private findVisible(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<HearingEntity> {
    const visibleCase = caseVisible(reader);
    return findVisible(
      manager,
      HearingEntity,
      'hearing',
      id,
      [childVisible(reader, 'hearing', 'case', 'hearing.caseId')],
      {
        ...options,
        join: (qb) =>
          qb.innerJoin('hearing.case', 'case', `case.archivedAt IS NULL AND ${visibleCase.sql}`, visibleCase.params),
      },
    );
  }

  private async assertPostponedTo(
    manager: EntityManager,
    caseId: string,
    targetId: string,
    selfId: string | null,
    actor: Actor,
  ): Promise<void> {
    if (targetId === selfId) throw InvalidInputError.field('postponedToId', 'a hearing cannot be postponed to itself');
    const target = await this.findVisible(manager, targetId, actor).catch(() => null);
    if (!target) throw InvalidInputError.field('postponedToId', `no hearing with id ${targetId}`);
    if (target.caseId !== caseId) throw InvalidInputError.field('postponedToId', 'must be a hearing of the same case');
    // Postponed to a hearing that was postponed (directly or further on) to this one: a loop.
    if (selfId !== null) {
      const [loop] = await manager.query<unknown[]>(
        `WITH RECURSIVE chain(next) AS (
           SELECT postponed_to_id FROM hearings WHERE id = $1
           UNION SELECT h.postponed_to_id FROM hearings h JOIN chain c ON h.id = c.next
         ) SELECT 1 FROM chain WHERE next = $2 LIMIT 1`,
        [targetId, selfId],
      );
      if (loop) {
        throw InvalidInputError.field('postponedToId', 'names a hearing postponed (in the end) to this one: a loop');
      }
    }
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    before: HearingEntity | null,
    after: HearingEntity,
  ): Promise<void> {
    return this.audit.recordChange(manager, context, action, 'hearing', snapshot, before, after);
  }
}
