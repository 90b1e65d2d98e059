import { AuditModule } from '#audit';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventEntity } from './event.entity.js';
import { EventsService } from './events.service.js';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationsService } from './organizations.service.js';
import { SourceEntity } from './source.entity.js';
import { SourcesService } from './sources.service.js';

export const REFERENCE_DATA_ENTITIES = [SourceEntity, OrganizationEntity, EventEntity];

/** Mass events, organisations and sources: the context that case files refer to. */
@Module({
  imports: [TypeOrmModule.forFeature(REFERENCE_DATA_ENTITIES), AuditModule],
  providers: [SourcesService, OrganizationsService, EventsService],
  exports: [SourcesService, OrganizationsService, EventsService],
})
export class ReferenceDataModule {}
