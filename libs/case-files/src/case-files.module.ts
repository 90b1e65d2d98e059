import { AuditModule } from '#audit';
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
import { NoteEntity } from './notes/note.entity.js';
import { NotesService } from './notes/notes.service.js';

export const CASE_FILES_ENTITIES = [
  PersonEntity,
  PersonNameEntity,
  DesignationEntity,
  CustodyEventEntity,
  CaseEntity,
  CaseParticipantEntity,
  ChargeEntity,
  HearingEntity,
  NoteEntity,
];

/** Persons, their custody history, cases, hearings and notes. */
@Module({
  imports: [ReferenceDataModule, AuditModule, TypeOrmModule.forFeature(CASE_FILES_ENTITIES)],
  providers: [PersonsService, CustodyService, CasesService, HearingsService, NotesService],
  exports: [PersonsService, CustodyService, CasesService, HearingsService, NotesService],
})
export class CaseFilesModule {}
