import { DELIVERY_QUEUE, DeliveryError, type DeliveryJob, type DeliveryOutcome, DeliveryService } from '#alerts';
import { AppConfig } from '#config';
import { loggableError } from '#database';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Delivers reminders, notices and confirmations: one job per reminder and due time, carrying ids
 * only (`DeliveryService` reads everything else from PostgreSQL).
 *
 * The worker starts once the application is up, with `WORKER_CONCURRENCY` jobs at a time. Its
 * lock on a job is renewed every 5 s and lapses 10 s after its process dies; the job then goes
 * back to the queue and the next worker takes over the dead one's claim at once. On shutdown
 * (SIGTERM / SIGINT, `app.close()`) it takes no new jobs and waits for those in progress before
 * PostgreSQL and Redis connections are closed.
 */
@Processor(DELIVERY_QUEUE, { autorun: false, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 2 })
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private lastWarning = 0;

  constructor(
    private readonly deliveries: DeliveryService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.env.WORKER_CONCURRENCY;
    this.worker.on('error', (error) => {
      // Redis going away is reported by ioredis reconnecting; say so once every half minute.
      if (Date.now() - this.lastWarning < 30_000) return;
      this.lastWarning = Date.now();
      this.logger.warn(`delivery worker: ${error.message}`);
    });
    this.worker.run().catch((error: Error) => this.logger.error(`delivery worker stopped: ${error.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<DeliveryJob>): Promise<DeliveryOutcome> {
    const { reminderId, dueAt } = job.data ?? {};
    if (typeof reminderId !== 'string' || !UUID.test(reminderId) || Number.isNaN(Date.parse(dueAt))) {
      throw new UnrecoverableError('not a delivery job');
    }
    try {
      return await this.deliveries.deliver({
        reminderId,
        dueAt,
        lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        resumed: (job.stalledCounter ?? 0) > 0,
      });
    } catch (error) {
      if (error instanceof DeliveryError && error.permanent) throw new UnrecoverableError(error.message);
      // The queue keeps the failure reason in Redis: a failed query is described without values.
      throw loggableError(error);
    }
  }
}
