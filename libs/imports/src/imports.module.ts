import { AuditModule } from '#audit';
import { QueueModule } from '#queue';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportFiles } from './import-files.js';
import { ImportChunkEntity, ImportEntity } from './import.entity.js';
import { ImportQueue } from './import-queue.js';
import { ImportsReconciler } from './imports.reconciler.js';
import { ImportsService } from './imports.service.js';
import { IMPORT_QUEUE } from './jobs.js';
import { ImportRunner } from './run/import-runner.js';

export const IMPORTS_ENTITIES = [ImportEntity, ImportChunkEntity];

/**
 * Bulk import of case files from CSV and XLSX. The API receives files and queues imports; the
 * worker runs them (`ImportRunner`) and reconciles the queue with PostgreSQL.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(IMPORTS_ENTITIES),
    AuditModule,
    QueueModule,
    BullModule.registerQueue({ name: IMPORT_QUEUE }),
  ],
  providers: [ImportFiles, ImportQueue, ImportsService, ImportRunner, ImportsReconciler],
  exports: [ImportFiles, ImportsService, ImportRunner, ImportsReconciler],
})
export class ImportsModule {}
