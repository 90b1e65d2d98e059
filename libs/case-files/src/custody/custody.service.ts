import { hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot, withoutHiddenReferences } from '#audit';
import { type Actor, DEFAULT_VISIBILITY, InvalidInputError, type Page, type WriteContext } from '#common';
import {
  archiveRecord,
  findIdByExternalId,
  loadRelationIds,
  paginate,
  PartialDateColumns,
  replaceRelationIds,
  restoreRecord,
  updateVersioned,
} from '#database';
import { SourcesService } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { PersonEntity } from '../persons/person.entity.js';
import { assertMayWriteRestricted, childVisible, findVisible, personVisible, where } from '../visibility.js';
import { CustodyEventEntity } from './custody-event.entity.js';
import type { CustodyEventView } from './custody-event.view.js';
import { sortCustodyEvents } from './custody.js';
import { refreshCurrentStatus } from './current-status.js';
import type { CorrectCustodyEventDto, CreateCustodyEventDto } from './custody.dto.js';

/** The view of an event, citing `sourceIds` (for a reader, those of its sources they may see). */
export function custodyEventView(e: CustodyEventEntity, sourceIds: string[]): CustodyEventView {
  return {
    id: e.id,
    version: e.version,
    personId: e.personId,
    status: e.status,
    from: PartialDateColumns.toPartialDate(e.from)!,
    place: e.place,
    facility: e.facility,
    note: e.note,
    visibility: e.visibility,
    sourceIds,
    recordedAt: e.createdAt.toISOString(),
  };
}

/** A stored event with the ids of every source it cites (`view` leaves out those a reader may not see). */
interface CitingEvent {
  event: CustodyEventEntity;
  sourceIds: string[];
}

function snapshot({ event, sourceIds }: CitingEvent): Snapshot {
  const { id: _id, version: _v, recordedAt: _r, ...fields } = custodyEventView(event, sourceIds);
  return { ...fields, archivedAt: event.archivedAt?.toISOString() ?? null };
}

/**
 * The custody history of each person. Events are appended; one entered wrongly is corrected
 * with a reason, or archived, and the audit trail keeps what it said before. Every write
 * recomputes the person's stored current status in its transaction (`refreshCurrentStatus`).
 */
@Injectable()
export class CustodyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SourcesService,
    private readonly audit: AuditTrail,
  ) {}

  async append(personId: string, dto: CreateCustodyEventDto, context: WriteContext): Promise<CustodyEventView> {
    return this.dataSource.transaction(async (manager) => {
      await findVisible(manager, PersonEntity, 'person', personId, [personVisible(context.actor)]);
      await assertMayWriteRestricted(manager, context.actor, 'person', personId, { visibility: dto.visibility });
      await this.sources.assertCitable(manager, context.actor, dto.sourceIds ?? []);
      const repo = manager.getRepository(CustodyEventEntity);
      const saved = await repo.save(
        repo.create({
          personId,
          externalId: dto.externalId ?? null,
          status: dto.status,
          from: PartialDateColumns.from(dto.from),
          place: dto.place ?? null,
          facility: dto.facility ?? null,
          note: dto.note ?? null,
          visibility: dto.visibility ?? DEFAULT_VISIBILITY,
        }),
      );
      await replaceRelationIds(manager, CustodyEventEntity, 'sources', saved.id, dto.sourceIds ?? []);
      await refreshCurrentStatus(manager, personId);
      const event = await this.findCiting(manager, saved.id, context.actor);
      await this.record(manager, context, 'create', null, event);
      return this.view(manager, event, context.actor);
    });
  }

  async get(id: string, reader: Actor): Promise<CustodyEventView> {
    const manager = this.dataSource.manager;
    return this.view(manager, await this.findCiting(manager, id, reader), reader);
  }

  /** One page of a person's history, oldest first (the same order `currentCustody` is derived from). */
  async list(
    personId: string,
    page: { limit?: number; cursor?: string },
    reader: Actor,
  ): Promise<Page<CustodyEventView>> {
    const manager = this.dataSource.manager;
    await findVisible(manager, PersonEntity, 'person', personId, [personVisible(reader)]);
    const qb = this.visibleEvents(manager, reader).andWhere('event.personId = :personId', { personId });
    const result = await paginate(
      qb,
      [
        { column: 'event.from_sort', read: (e) => e.from.sort!, cast: 'date' },
        { column: 'length(event.from_date)', read: (e) => e.from.date!.length, cast: 'int' },
        { column: 'event.seq', read: (e) => e.seq, cast: 'bigint' },
      ],
      page,
    );
    // The page's sources in one query, and those the reader may see in another (as in `view`).
    const ids = result.items.map((e) => e.id);
    const sources = await loadRelationIds(manager, CustodyEventEntity, 'sources', ids);
    const visible = new Set(await this.sources.visibleIds(manager, reader, [...new Set([...sources.values()].flat())]));
    const shown = (cited: string[]) => cited.filter((sourceId) => visible.has(sourceId));
    const items = result.items.map((e) => custodyEventView(e, shown(sources.get(e.id)!)));
    return { items, nextCursor: result.nextCursor };
  }

  /** Corrects an event entered wrongly; a reason is required. */
  async update(
    id: string,
    dto: CorrectCustodyEventDto,
    version: number,
    context: WriteContext,
  ): Promise<CustodyEventView> {
    if (!context.reason) throw InvalidInputError.field('reason', 'a correction of custody history needs a reason');
    return this.dataSource.transaction(async (manager) => {
      const before = await this.findCiting(manager, id, context.actor, { lock: true });
      const personId = before.event.personId;
      await assertMayWriteRestricted(manager, context.actor, 'person', personId, { visibility: dto.visibility });
      await this.sources.assertCitable(manager, context.actor, dto.sourceIds ?? []);
      await updateVersioned(
        manager,
        CustodyEventEntity,
        id,
        {
          externalId: dto.externalId,
          status: dto.status,
          from: dto.from === undefined ? undefined : PartialDateColumns.from(dto.from),
          place: dto.place,
          facility: dto.facility,
          note: dto.note,
          visibility: dto.visibility,
        },
        version,
      );
      await refreshCurrentStatus(manager, personId);
      if (dto.sourceIds !== undefined) {
        await this.sources.replaceCitations(manager, CustodyEventEntity, id, dto.sourceIds, context.actor);
      }
      const after = await this.findCiting(manager, id, context.actor);
      await this.record(manager, context, 'update', before, after);
      return this.view(manager, after, context.actor);
    });
  }

  /** Archives an event entered by mistake (it leaves the history and `currentCustody`); a reason is required. */
  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    if (!context.reason)
      throw InvalidInputError.field('reason', 'removing an event from custody history needs a reason');
    await this.dataSource.transaction(async (manager) => {
      const before = await this.findCiting(manager, id, context.actor, { lock: true });
      await archiveRecord(manager, CustodyEventEntity, id, version);
      await refreshCurrentStatus(manager, before.event.personId);
      await this.record(
        manager,
        context,
        'archive',
        before,
        await this.findCiting(manager, id, context.actor, { state: 'any' }),
      );
    });
  }

  async restore(id: string, context: WriteContext): Promise<CustodyEventView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.findCiting(manager, id, context.actor, { lock: true, state: 'any' });
      if (before.event.archivedAt) {
        await restoreRecord(manager, CustodyEventEntity, id);
        await refreshCurrentStatus(manager, before.event.personId);
        const after = await this.findCiting(manager, id, context.actor);
        await this.record(manager, context, 'restore', before, after);
        return this.view(manager, after, context.actor);
      }
      return this.view(manager, before, context.actor);
    });
  }

  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    const event = await this.find(manager, id, reader, { state: 'any' });
    const history = await this.audit.history('custody-event', id, page, {
      clearance: await hasClearance(manager, reader, 'person', event.personId),
      parent: { entityType: 'person', entityId: event.personId },
    });
    return withoutHiddenReferences(history, { sourceIds: (ids) => this.sources.visibleIds(manager, reader, ids) });
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, CustodyEventEntity, externalId);
  }

  /**
   * The live custody events `reader` may see of the given people (or with the given ids), in
   * chronological order. Current custody is derived from these, so a restricted event does not
   * show through it either.
   */
  async load(
    manager: EntityManager,
    scope: { personIds?: string[]; ids?: string[] },
    reader: Actor,
  ): Promise<CustodyEventEntity[]> {
    const qb = this.visibleEvents(manager, reader);
    if (scope.personIds) {
      if (scope.personIds.length === 0) return [];
      qb.andWhere('event.personId IN (:...personIds)', { personIds: scope.personIds });
    } else if (scope.ids) {
      if (scope.ids.length === 0) return [];
      qb.andWhere('event.id IN (:...ids)', { ids: scope.ids });
    }
    const events = await qb.getMany();
    return sortCustodyEvents(events, (e) => ({
      status: e.status,
      from: PartialDateColumns.toPartialDate(e.from)!,
      seq: e.seq,
    }));
  }

  /** Live events of live persons the reader may see, restricted ones only with clearance on the person. */
  private visibleEvents(manager: EntityManager, reader: Actor): SelectQueryBuilder<CustodyEventEntity> {
    const person = personVisible(reader);
    const qb = manager
      .createQueryBuilder(CustodyEventEntity, 'event')
      .innerJoin('event.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params)
      .where('event.archivedAt IS NULL');
    where(qb, childVisible(reader, 'event', 'person', 'event.personId'));
    return qb;
  }

  private find(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<CustodyEventEntity> {
    const person = personVisible(reader);
    return findVisible(
      manager,
      CustodyEventEntity,
      'event',
      id,
      [childVisible(reader, 'event', 'person', 'event.personId')],
      {
        ...options,
        join: (qb) =>
          qb.innerJoin('event.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params),
      },
    );
  }

  /** `find`, with the ids of the sources the event cites. */
  private async findCiting(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<CitingEvent> {
    const event = await this.find(manager, id, reader, options);
    const sources = await loadRelationIds(manager, CustodyEventEntity, 'sources', [event.id]);
    return { event, sourceIds: sources.get(event.id)! };
  }

  private async view(
    manager: EntityManager,
    { event, sourceIds }: CitingEvent,
    reader: Actor,
  ): Promise<CustodyEventView> {
    return custodyEventView(event, await this.sources.visibleIds(manager, reader, sourceIds));
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    before: CitingEvent | null,
    after: CitingEvent,
  ): Promise<void> {
    return this.audit.record(manager, context, {
      action,
      entityType: 'custody-event',
      entityId: after.event.id,
      before: before ? snapshot(before) : null,
      after: snapshot(after),
      visibility: [before?.event.visibility, after.event.visibility],
    });
  }
}
