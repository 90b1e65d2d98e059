import { PartialDateColumns, recordMeta } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial } from 'typeorm';
import type { CreateSourceDto, UpdateSourceDto } from './dto.js';
import { RecordService } from './record.service.js';
import type { SourceView } from './views.js';
import { SourceEntity } from './source.entity.js';

@Injectable()
export class SourcesService extends RecordService<SourceEntity, SourceView, CreateSourceDto, UpdateSourceDto> {
  protected readonly target = SourceEntity;

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected columns(dto: Partial<CreateSourceDto>): DeepPartial<SourceEntity> {
    return {
      externalId: dto.externalId,
      publisher: dto.publisher,
      title: dto.title,
      url: dto.url,
      published: dto.published === undefined ? undefined : PartialDateColumns.from(dto.published),
      language: dto.language,
      note: dto.note,
    };
  }

  protected view(e: SourceEntity): SourceView {
    return {
      ...recordMeta(e),
      externalId: e.externalId,
      publisher: e.publisher,
      title: e.title,
      url: e.url,
      published: PartialDateColumns.toPartialDate(e.published),
      language: e.language,
      note: e.note,
    };
  }
}
