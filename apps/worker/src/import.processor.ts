import { IMPORT_QUEUE, type ImportJob, type ImportOutcome, ImportRunner } from '#imports';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs imports, one at a time per worker process (an import is one long transaction and keeps a
 * CPU busy; reminders and exports go on beside it). The job carries the import id only;
 * `ImportRunner` reads the request and the file from PostgreSQL. Progress (share of the file
 * read, rows read) goes to the job and to the import row. A worker killed mid-import loses its
 * lock after 60 s; its transaction is rolled back and another worker starts the file over.
 */
@Processor(IMPORT_QUEUE, { autorun: false, concurrency: 1, lockDuration: 60_000, maxStalledCount: 2 })
export class ImportProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportProcessor.name);

  constructor(private readonly runner: ImportRunner) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.on('error', (error) => this.logger.debug(`import worker: ${error.message}`));
    this.worker.run().catch((error: Error) => this.logger.error(`import worker stopped: ${error.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<ImportJob>): Promise<ImportOutcome> {
    const importId = job.data?.importId;
    if (typeof importId !== 'string' || !UUID.test(importId)) throw new UnrecoverableError('not an import job');
    let reported = -1;
    return this.runner.run(importId, {
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      onProgress: (percent, rows) => {
        if (percent === reported) return;
        reported = percent;
        void job.updateProgress({ percent, rows }).catch(() => undefined);
      },
    });
  }
}
