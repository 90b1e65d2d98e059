import { ReferenceDataModule } from '#reference-data';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseEntity, CaseParticipantEntity, ChargeEntity } from './cases/case.entity.js';
import { CasesService } from './cases/cases.service.js';
import { CustodyEventEntity } from './custody/custody-event.entity.js';
import { CustodyService } from './custody/custody.service.js';
import { HearingEntity } from './hearings/hearing.entity.js';
import { HearingsService } from './hearings/hearings.service.js';
import { DesignationEntity, PersonEntity, PersonNameEntity } from './persons/person.entity.js';
import { PersonsService } from './persons/persons.service.js';

export const CASE_FILES_ENTITIES = [
  PersonEntity,
  PersonNameEntity,
  DesignationEntity,
  CustodyEventEntity,
  CaseEntity,
  CaseParticipantEntity,
  ChargeEntity,
  HearingEntity,
];

/** Persons, their custody history, cases and hearings. */
@Module({
  imports: [ReferenceDataModule, TypeOrmModule.forFeature(CASE_FILES_ENTITIES)],
  providers: [PersonsService, CustodyService, CasesService, HearingsService],
  exports: [PersonsService, CustodyService, CasesService, HearingsService],
})
export class CaseFilesModule {}
