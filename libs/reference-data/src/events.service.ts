import { AuditTrail } from '#audit';
import { assertRecordsExist, PartialDateColumns, replaceRelationIds, recordMeta } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import type { CreateEventDto, UpdateEventDto } from './dto.js';
import { EventEntity } from './event.entity.js';
import { RecordService } from './record.service.js';
import type { EventView } from './views.js';
import { SourceEntity } from './source.entity.js';

@Injectable()
export class EventsService extends RecordService<EventEntity, EventView, CreateEventDto, UpdateEventDto> {
  protected readonly target = EventEntity;
  protected readonly entityType = 'event';

  constructor(dataSource: DataSource, audit: AuditTrail) {
    super(dataSource, audit);
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

  protected override async writeRelations(manager: EntityManager, id: string, dto: Partial<CreateEventDto>) {
    if (dto.sourceIds === undefined) return;
    await assertRecordsExist(manager, [{ target: SourceEntity, ids: dto.sourceIds, field: 'sourceIds' }]);
    await replaceRelationIds(manager, EventEntity, 'sources', id, dto.sourceIds);
  }

  protected view(e: EventEntity): EventView {
    return {
      ...recordMeta(e),
      externalId: e.externalId,
      name: e.names[0] ?? '',
      names: e.names,
      country: e.country,
      start: PartialDateColumns.toPartialDate(e.start),
      end: PartialDateColumns.toPartialDate(e.end),
      summary: e.summary,
      sourceIds: e.sourceIds ?? [],
    };
  }
}
