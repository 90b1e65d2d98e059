import { CaseFilesModule } from '#case-files';
import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { LoggingModule } from '#logging';
import { QueueModule } from '#queue';
import { ReferenceDataModule } from '#reference-data';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CasesController } from './cases/cases.controller.js';
import { HealthController } from './health/health.controller.js';
import { HearingsController } from './hearings/hearings.controller.js';
import { PersonsController } from './persons/persons.controller.js';
import {
  EventsController,
  OrganizationsController,
  SourcesController,
} from './reference-data/reference-data.controllers.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    TerminusModule,
    ReferenceDataModule,
    CaseFilesModule,
  ],
  controllers: [
    HealthController,
    PersonsController,
    CasesController,
    HearingsController,
    EventsController,
    OrganizationsController,
    SourcesController,
  ],
})
export class AppModule {}
