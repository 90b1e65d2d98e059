import { AuditTrail } from '#audit';
import { recordMeta } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial } from 'typeorm';
import type { CreateOrganizationDto, UpdateOrganizationDto } from './dto.js';
import { OrganizationEntity } from './organization.entity.js';
import { RecordService } from './record.service.js';
import type { OrganizationView } from './views.js';

@Injectable()
export class OrganizationsService extends RecordService<
  OrganizationEntity,
  OrganizationView,
  CreateOrganizationDto,
  UpdateOrganizationDto
> {
  protected readonly target = OrganizationEntity;
  protected readonly entityType = 'organization';

  constructor(dataSource: DataSource, audit: AuditTrail) {
    super(dataSource, audit);
  }

  protected columns(dto: Partial<CreateOrganizationDto>): DeepPartial<OrganizationEntity> {
    return { externalId: dto.externalId, names: dto.names, kind: dto.kind, country: dto.country, note: dto.note };
  }

  protected view(e: OrganizationEntity): OrganizationView {
    return recordMeta(e, {
      externalId: e.externalId,
      name: e.names[0] ?? '',
      names: e.names,
      kind: e.kind,
      country: e.country,
      note: e.note,
    });
  }
}
