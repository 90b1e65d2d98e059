import { type AuditEntryView, AuditTrail, withoutHiddenReferences } from '#audit';
import type { Actor, Page } from '#common';
import { PartialDateColumns, recordMeta } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import type { CreateEventDto, UpdateEventDto } from './dto.js';
import { EventEntity } from './event.entity.js';
import { RecordService } from './record.service.js';
import type { EventView } from './views.js';
import { SourcesService } from './sources.service.js';

@Injectable()
export class EventsService extends RecordService<EventEntity, EventView, CreateEventDto, UpdateEventDto> {
  protected readonly target = EventEntity;
  protected readonly entityType = 'event';

  constructor(
    dataSource: DataSource,
    audit: AuditTrail,
    private readonly sources: SourcesService,
  ) {
    super(dataSource, audit);
  }

  /** Restricted sources are for admins only: other readers see an event's other sources. */
  protected override async present(manager: EntityManager, views: EventView[], reader: Actor): Promise<EventView[]> {
    const visible = new Set(
      await this.sources.visibleIds(
        manager,
        reader,
        views.flatMap((e) => e.sourceIds),
      ),
    );
    return views.map((e) => ({ ...e, sourceIds: e.sourceIds.filter((id) => visible.has(id)) }));
  }

  override async history(
    id: string,
    page: { limit?: number; cursor?: string },
    reader: Actor,
  ): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    return withoutHiddenReferences(await super.history(id, page, reader), {
      sourceIds: (ids) => this.sources.visibleIds(manager, reader, ids),
    });
  }

  protected columns(dto: Partial<CreateEventDto>): DeepPartial<EventEntity> {
    return {
      externalId: dto.externalId,
      names: dto.names,
      country: dto.country,
      start: dto.start === undefined ? undefined : PartialDateColumns.from(dto.start),
      end: dto.end === undefined ? undefined : PartialDateColumns.from(dto.end),
      summary: dto.summary,
    };
  }

  protected override async writeRelations(
    manager: EntityManager,
    id: string,
    dto: Partial<CreateEventDto>,
    actor: Actor,
  ): Promise<void> {
    if (dto.sourceIds === undefined) return;
    await this.sources.assertCitable(manager, actor, dto.sourceIds);
    await this.sources.replaceCitations(manager, EventEntity, id, dto.sourceIds, actor);
  }

  protected view(e: EventEntity): EventView {
    return recordMeta(e, {
      externalId: e.externalId,
      name: e.names[0] ?? '',
      names: e.names,
      country: e.country,
      start: PartialDateColumns.toPartialDate(e.start),
      end: PartialDateColumns.toPartialDate(e.end),
      summary: e.summary,
      sourceIds: e.sourceIds ?? [],
    });
  }
}
