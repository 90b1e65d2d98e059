import { AuditModule } from '#audit';
import { CaseFilesModule } from '#case-files';
import { QueueModule } from '#queue';
import { ReferenceDataModule } from '#reference-data';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignListBuilder } from '../builder/campaign-list.builder.js';
import { DossierBuilder } from '../builder/dossier.builder.js';
import { ReportMetaFactory } from '../builder/report-meta.js';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { ExportChunkEntity, ExportEntity } from './export.entity.js';
import { ExportQueue } from './export-queue.js';
import { ExportRunner } from './export-runner.js';
import { ExportsReconciler } from './exports.reconciler.js';
import { ExportsService } from './exports.service.js';
import { EXPORT_QUEUE } from './jobs.js';
import { ReportProducer } from './report-producer.js';

/**
 * Reports and their exports. The API asks for exports (and renders small dossiers at once); the
 * worker renders queued exports and reconciles the queue with PostgreSQL.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ExportEntity, ExportChunkEntity]),
    AuditModule,
    QueueModule,
    CaseFilesModule,
    ReferenceDataModule,
    CampaignsModule,
    BullModule.registerQueue({ name: EXPORT_QUEUE }),
  ],
  providers: [
    ReportMetaFactory,
    DossierBuilder,
    CampaignListBuilder,
    ReportProducer,
    ExportQueue,
    ExportsService,
    ExportRunner,
    ExportsReconciler,
  ],
  exports: [ReportProducer, ExportsService, ExportRunner, ExportsReconciler, CampaignListBuilder, DossierBuilder],
})
export class ExportsModule {}
