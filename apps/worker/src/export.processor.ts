import { EXPORT_QUEUE, type ExportJob, type ExportOutcome, ExportRunner } from '#reports';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Renders exports, two at a time per worker process (rendering is CPU work; reminders must not
 * wait behind a long list). The job carries the export id only; `ExportRunner` reads the request
 * from PostgreSQL and stores the file there. A worker killed mid-render loses its lock after
 * 30 s and another one starts the file over.
 */
@Processor(EXPORT_QUEUE, { autorun: false, concurrency: 2, lockDuration: 30_000, maxStalledCount: 2 })
export class ExportProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExportProcessor.name);

  constructor(private readonly runner: ExportRunner) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.on('error', (error) => this.logger.debug(`export worker: ${error.message}`));
    this.worker.run().catch((error: Error) => this.logger.error(`export worker stopped: ${error.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<ExportJob>): Promise<ExportOutcome> {
    const exportId = job.data?.exportId;
    if (typeof exportId !== 'string' || !UUID.test(exportId)) throw new UnrecoverableError('not an export job');
    let reported = -1;
    return this.runner.run(exportId, {
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      onProgress: (percent) => {
        if (percent === reported) return;
        reported = percent;
        void job.updateProgress(percent).catch(() => undefined);
      },
    });
  }
}
