import { type RecordMeta, recordMeta } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial } from 'typeorm';
import type { CreateOrganizationDto, UpdateOrganizationDto } from './dto.js';
import { OrganizationEntity, type OrganizationKind } from './organization.entity.js';
import { RecordService } from './record.service.js';

export interface OrganizationView extends RecordMeta {
  externalId: string | null;
  name: string;
  names: string[];
  kind: OrganizationKind;
  country: string | null;
  note: string | null;
}

@Injectable()
export class OrganizationsService extends RecordService<
  OrganizationEntity,
  OrganizationView,
  CreateOrganizationDto,
  UpdateOrganizationDto
> {
  protected readonly target = OrganizationEntity;

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected columns(dto: Partial<CreateOrganizationDto>): DeepPartial<OrganizationEntity> {
    return { externalId: dto.externalId, names: dto.names, kind: dto.kind, country: dto.country, note: dto.note };
  }

  protected view(e: OrganizationEntity): OrganizationView {
    return {
      ...recordMeta(e),
      externalId: e.externalId,
      name: e.names[0] ?? '',
      names: e.names,
      kind: e.kind,
      country: e.country,
      note: e.note,
    };
  }
}
