import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { LoggingModule } from '#logging';
import { QueueModule } from '#queue';
import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkerHealthServer } from './worker-health.server.js';

/**
 * The BullMQ worker process. Processors (reminders, exports, imports) are registered here as
 * `WorkerHost` classes by the feature that owns the queue; each job carries ids only and
 * re-reads its rows from PostgreSQL.
 */
@Module({
  imports: [AppConfigModule, LoggingModule, DatabaseModule, QueueModule, TerminusModule],
  providers: [WorkerHealthServer],
})
export class WorkerModule implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    new Logger('Worker').log(`worker stopped${signal ? ` (${signal})` : ''}`);
  }
}
