import { AccessModule } from '#access';
import { AlertsModule } from '#alerts';
import { AuditModule } from '#audit';
import { CaseFilesModule } from '#case-files';
import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { EncryptionModule } from '#encryption';
import { LoggingModule } from '#logging';
import { QueueModule } from '#queue';
import { ReferenceDataModule } from '#reference-data';
import { CampaignsModule, ExportsModule } from '#reports';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AdvocatesController } from './alerts/advocates.controller.js';
import { CalendarController } from './alerts/calendar.controller.js';
import { PublicAlertsController } from './alerts/public.controller.js';
import { RemindersController } from './alerts/reminders.controller.js';
import { SubscriptionsController } from './alerts/subscriptions.controller.js';
import { AccessGrantsController, ApiKeysController, UsersController } from './auth/admin.controllers.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { InitialAdmin } from './auth/initial-admin.js';
import { CasesController } from './case-files/cases.controller.js';
import { HealthController } from './health/health.controller.js';
import { HearingsController } from './case-files/hearings.controller.js';
import { CustodyEventsController } from './case-files/custody-events.controller.js';
import { NotesController } from './case-files/notes.controller.js';
import { PersonsController } from './case-files/persons.controller.js';
import { ImportsApiModule } from './imports/imports-api.module.js';
import { DossierController } from './reports/dossier.controller.js';
import { ExportsController } from './reports/exports.controller.js';
import {
  EventsController,
  OrganizationsController,
  SourcesController,
} from './reference-data/reference-data.controllers.js';
import { CampaignController } from './reports/campaign.controller.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    EncryptionModule,
    QueueModule,
    AuditModule,
    AccessModule,
    TerminusModule,
    ReferenceDataModule,
    CaseFilesModule,
    AlertsModule,
    CampaignsModule,
    ExportsModule,
    // The import routes, with their own multer configuration (uploads stream into PostgreSQL).
    ImportsApiModule,
  ],
  controllers: [
    HealthController,
    AuthController,
    UsersController,
    ApiKeysController,
    AccessGrantsController,
    PersonsController,
    CustodyEventsController,
    NotesController,
    CasesController,
    HearingsController,
    EventsController,
    OrganizationsController,
    SourcesController,
    AdvocatesController,
    SubscriptionsController,
    PublicAlertsController,
    RemindersController,
    CalendarController,
    ExportsController,
    DossierController,
    CampaignController,
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, InitialAdmin],
})
export class AppModule {}
