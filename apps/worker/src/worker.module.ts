import { AlertsModule, DeliveryModule, RECONCILE_QUEUE } from '#alerts';
import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { EncryptionModule } from '#encryption';
import { ImportsModule } from '#imports';
import { LoggingModule } from '#logging';
import { QueueModule } from '#queue';
import { ExportsModule } from '#reports';
import { BullModule } from '@nestjs/bullmq';
import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DeliveryProcessor } from './delivery.processor.js';
import { ExportProcessor } from './export.processor.js';
import { ImportProcessor } from './import.processor.js';
import { ReconcileProcessor } from './reconcile.processor.js';
import { WorkerHealthServer } from './worker-health.server.js';

/**
 * The BullMQ worker process. Processors (reminders, exports, imports) are registered here as
 * `WorkerHost` classes by the feature that owns the queue; each job carries ids only and
 * re-reads its rows from PostgreSQL.
 */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    EncryptionModule,
    QueueModule,
    TerminusModule,
    AlertsModule,
    DeliveryModule,
    ExportsModule,
    ImportsModule,
    BullModule.registerQueue({ name: RECONCILE_QUEUE }),
  ],
  providers: [WorkerHealthServer, DeliveryProcessor, ExportProcessor, ImportProcessor, ReconcileProcessor],
})
export class WorkerModule implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    new Logger('Worker').log(`worker stopped${signal ? ` (${signal})` : ''}`);
  }
}
