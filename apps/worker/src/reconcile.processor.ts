import { RECONCILE_QUEUE, Reconciler, type ReconcileResult } from '#alerts';
import { AppConfig } from '#config';
import { ImportsReconciler, type ImportsReconcileResult } from '#imports';
import { ExportsReconciler, type ExportsReconcileResult } from '#reports';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';

/** One scheduler for every worker process: upserting it again changes nothing. */
export const RECONCILE_SCHEDULER_ID = 'reminders-reconcile';

/**
 * Runs the reconcilers (reminders, then exports, then imports) at start and every `RECONCILE_INTERVAL_SECONDS`, through a BullMQ job
 * scheduler with a fixed id (so that several workers make one job per interval, not one each).
 * A local watchdog checks every interval that the scheduler still exists: after Redis lost its
 * data (a flush, a restore without persistence) it is made again, and a run starts at once, since
 * the delivery jobs are gone too.
 */
@Processor(RECONCILE_QUEUE, { autorun: false })
export class ReconcileProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconcileProcessor.name);
  private watchdog?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  /** Whether the scheduler was checked before: missing after that, Redis has lost it. */
  private checked = false;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly exports: ExportsReconciler,
    private readonly imports: ImportsReconciler,
    private readonly config: AppConfig,
    @InjectQueue(RECONCILE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  private get intervalMs(): number {
    return this.config.env.RECONCILE_INTERVAL_SECONDS * 1000;
  }

  onApplicationBootstrap(): void {
    this.worker.on('error', (error) => this.logger.debug(`reconcile worker: ${error.message}`));
    this.worker.run().catch((error: Error) => this.logger.error(`reconcile worker stopped: ${error.message}`));
    // Neither waits for Redis: start-up does not hang while it is away.
    this.runNow('start-up');
    void this.ensureScheduler();
    this.watchdog = setInterval(() => void this.ensureScheduler(), this.intervalMs);
    this.watchdog.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.watchdog);
    await this.worker.close();
    // A run waiting for Redis (while it is away) does not hold up the shutdown for long.
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  }

  async process(): Promise<{
    reminders: ReconcileResult;
    exports: ExportsReconcileResult;
    imports: ImportsReconcileResult;
  }> {
    return {
      reminders: await this.reconciler.run(),
      exports: await this.exports.run(),
      imports: await this.imports.run(),
    };
  }

  private runNow(why: string): void {
    const run = this.running.then(() => this.process());
    this.running = run.catch((error: Error) => this.logger.warn(`reconciling (${why}) failed: ${error.message}`));
  }

  private async ensureScheduler(): Promise<void> {
    try {
      const existing = await this.queue.getJobScheduler(RECONCILE_SCHEDULER_ID);
      const first = !this.checked;
      this.checked = true;
      if (existing?.every === this.intervalMs) return;
      if (first && !existing) {
        this.logger.log(`reconciler scheduled every ${this.config.env.RECONCILE_INTERVAL_SECONDS} s`);
      }
      await this.queue.upsertJobScheduler(
        RECONCILE_SCHEDULER_ID,
        { every: this.intervalMs },
        { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100 } },
      );
      if (!existing && !first) {
        this.logger.warn('the reconciler schedule was missing from Redis (data lost?): made again, reconciling now');
        this.runNow('scheduler missing');
      }
    } catch (error) {
      this.logger.warn(`could not schedule the reconciler (${(error as Error).message}); retrying`);
    }
  }
}
