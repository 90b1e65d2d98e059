import { InvalidInputError, NotFoundError, type Page } from '#common';
import { archiveRecord, findActive, paginate, recordMeta, restoreRecord, updateVersioned } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseEntity } from '../cases/case.entity.js';
import { hearingStartProblem, parseHearingStart, toCourtLocalTime } from './hearing.js';
import type { CreateHearingDto, ListHearingsQueryDto, UpdateHearingDto } from './hearing.dto.js';
import { HearingEntity } from './hearing.entity.js';
import type { HearingView } from './hearing.view.js';

export function hearingView(h: HearingEntity): HearingView {
  return {
    ...recordMeta(h),
    caseId: h.caseId,
    startsAt: h.startsAt.toISOString(),
    localStartsAt: toCourtLocalTime(h.startsAt, h.timeZone),
    timeZone: h.timeZone,
    court: h.court,
    courtroom: h.courtroom,
    kind: h.kind,
    status: h.status,
    outcome: h.outcome,
    postponedToId: h.postponedToId,
  };
}

function startsAtOrFail(value: string, timeZone: string): Date {
  const instant = parseHearingStart(value, timeZone);
  if (!instant) throw InvalidInputError.field('startsAt', hearingStartProblem(value, timeZone) ?? 'is invalid');
  return instant;
}

/**
 * Court hearings of cases. A hearing that will not take place is cancelled or postponed; only one
 * entered by mistake is archived. Hearings of an archived case are out of sight with it.
 */
@Injectable()
export class HearingsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(caseId: string, dto: CreateHearingDto): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      await findActive(manager, CaseEntity, caseId);
      if (dto.postponedToId) await this.assertPostponedTo(manager, caseId, dto.postponedToId, null);
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
        }),
      );
      return hearingView(await findActive(manager, HearingEntity, saved.id));
    });
  }

  /** A hearing of an archived case is archived with it: 404 here, absent from lists. */
  async get(id: string): Promise<HearingView> {
    return hearingView(await this.findLive(this.dataSource.manager, id));
  }

  /** Hearings in time order (then by recording order), filtered by time window, case and status. */
  async list(query: ListHearingsQueryDto): Promise<Page<HearingView>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .innerJoin('hearing.case', 'case', 'case.archivedAt IS NULL')
      .where('hearing.archivedAt IS NULL');
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
    return { items: page.items.map(hearingView), nextCursor: page.nextCursor };
  }

  /** Hearings of one live case, in time order. */
  async listOfCase(caseId: string, page: { limit?: number; cursor?: string }): Promise<Page<HearingView>> {
    await findActive(this.dataSource.manager, CaseEntity, caseId);
    return this.list({ ...page, caseId });
  }

  async update(id: string, dto: UpdateHearingDto, expectedVersion?: number): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findLive(manager, id, { lock: true });
      const timeZone = dto.timeZone ?? current.timeZone;
      if (dto.postponedToId) await this.assertPostponedTo(manager, current.caseId, dto.postponedToId, id);
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
        },
        expectedVersion,
      );
      return hearingView(await this.findLive(manager, id));
    });
  }

  /**
   * Archives a hearing entered by mistake (a hearing that will not take place is `cancelled`
   * or `postponed` instead, which keeps it in the record).
   */
  async archive(id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.findLive(manager, id, { lock: true });
      await archiveRecord(manager, HearingEntity, id, expectedVersion);
    });
  }

  async restore(id: string): Promise<HearingView> {
    return this.dataSource.transaction(async (manager) => {
      await restoreRecord(manager, HearingEntity, id);
      return hearingView(await this.findLive(manager, id));
    });
  }

  /** The next scheduled hearing of each case, keyed by case id. */
  async nextScheduled(
    manager: EntityManager,
    caseIds: string[],
    now = new Date(),
  ): Promise<Map<string, HearingEntity>> {
    if (caseIds.length === 0) return new Map();
    const rows = await manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .distinctOn(['hearing.caseId'])
      .where('hearing.caseId IN (:...caseIds)', { caseIds })
      .andWhere('hearing.archivedAt IS NULL')
      .andWhere("hearing.status = 'scheduled'")
      .andWhere('hearing.startsAt >= :now', { now })
      .orderBy('hearing.caseId')
      .addOrderBy('hearing.startsAt')
      .getMany();
    return new Map(rows.map((h) => [h.caseId, h]));
  }

  private async findLive(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<HearingEntity> {
    const qb = manager
      .createQueryBuilder(HearingEntity, 'hearing')
      .innerJoin('hearing.case', 'case', 'case.archivedAt IS NULL')
      .where('hearing.id = :id', { id })
      .andWhere('hearing.archivedAt IS NULL');
    if (options.lock) qb.setLock('pessimistic_write', undefined, ['hearing']);
    const hearing = await qb.getOne();
    if (!hearing) throw new NotFoundError('Hearing', id);
    return hearing;
  }

  private async assertPostponedTo(manager: EntityManager, caseId: string, targetId: string, selfId: string | null) {
    if (targetId === selfId) throw InvalidInputError.field('postponedToId', 'a hearing cannot be postponed to itself');
    const target = await manager.findOne(HearingEntity, { where: { id: targetId } });
    if (!target || target.archivedAt) throw InvalidInputError.field('postponedToId', `no hearing with id ${targetId}`);
    if (target.caseId !== caseId) throw InvalidInputError.field('postponedToId', 'must be a hearing of the same case');
  }
}
