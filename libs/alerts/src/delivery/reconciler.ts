import { AppConfig } from '#config';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DeliveryQueue } from '../delivery-queue.js';
import { DELIVERY_QUEUE, type DeliveryJob } from '../jobs.js';
import { CLAIM_STALE_AFTER_SECONDS } from './delivery.service.js';

/** Serialises reconciler runs across all workers ("rmnd"). */
const RECONCILE_LOCK = 0x726d6e64;
const BATCH = 1000;

export interface ReconcileResult {
  /** False when another worker was reconciling at the same moment. */
  ran: boolean;
  /** Scheduled reminders past the grace window, now `skipped`. */
  skipped: number;
  /** Reminders whose job was (re-)added: adding one that exists changes nothing. */
  enqueued: number;
  /** Failed jobs in Redis whose reminder still waits to be sent, removed and added again. */
  repaired: number;
}

/**
 * Makes Redis agree with PostgreSQL, which alone says what is to be sent. Run by the worker at
 * start and every `RECONCILE_INTERVAL_SECONDS`:
 *
 * 1. Scheduled reminders overdue beyond `REMINDER_GRACE_MINUTES` become `skipped`.
 * 2. Every `scheduled` reminder due before the next two runs (overdue ones within grace
 *    included) and every stale `sending` one (its worker died mid-send) gets its job added
 *    again. Job ids are derived from the reminder and its due time, so this adds only what is
 *    missing: after a Redis flush, everything comes back, each reminder by the run before it is
 *    due. A run costs what is due soon, not every reminder planned months ahead. Rows are read
 *    in batches (keyset over the `(status, due_at)` index).
 * 3. A job that failed in Redis although its reminder was never recorded as failed (PostgreSQL was
 *    unreachable, or the job stalled too often) would block its id; it is removed and added again.
 *
 * Runs are serialised across processes by a PostgreSQL advisory lock; a run that finds the lock
 * taken does nothing.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly deliveries: DeliveryQueue,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJob>,
  ) {}

  async run(): Promise<ReconcileResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock]: Array<{ locked: boolean }> = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        RECONCILE_LOCK,
      ]);
      if (!lock?.locked) return { ran: false, skipped: 0, enqueued: 0, repaired: 0 };
      try {
        const skipped = await this.skipOverdue();
        const enqueued = (await this.enqueueScheduled()) + (await this.enqueueStale());
        const repaired = await this.repairFailedJobs();
        const result = { ran: true, skipped, enqueued, repaired };
        const message = `reconciled: ${skipped} skipped, ${enqueued} jobs added or present, ${repaired} repaired`;
        if (skipped > 0 || repaired > 0) this.logger.log(message);
        else this.logger.debug(message);
        return result;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RECONCILE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async skipOverdue(): Promise<number> {
    let total = 0;
    for (;;) {
      const [rows] = await this.dataSource.query<[Array<{ id: string }>, number]>(
        `UPDATE reminders
            SET status = 'skipped', last_error = 'not sent within the grace period (REMINDER_GRACE_MINUTES)',
                updated_at = now()
          WHERE id IN (SELECT id FROM reminders
                        WHERE status = 'scheduled' AND due_at < now() - make_interval(mins => $1)
                        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [this.config.env.REMINDER_GRACE_MINUTES, BATCH],
      );
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }

  private async enqueueScheduled(): Promise<number> {
    let total = 0;
    let after: { dueAt: Date; id: string } | null = null;
    for (;;) {
      const rows: Array<{ id: string; due_at: Date }> = await this.dataSource.query(
        `SELECT id, due_at FROM reminders
          WHERE status = 'scheduled' AND due_at < now() + make_interval(secs => $4)
            AND ($1::timestamptz IS NULL OR (due_at, id) > ($1::timestamptz, $2::uuid))
          ORDER BY due_at, id LIMIT $3`,
        [after?.dueAt ?? null, after?.id ?? null, BATCH, this.horizonSeconds],
      );
      total += await this.deliveries.add(rows);
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) return total;
      after = { dueAt: last.due_at, id: last.id };
    }
  }

  /** Reminders due within this many seconds are (re-)enqueued: two runs ahead, and a minute more. */
  private get horizonSeconds(): number {
    return 2 * this.config.env.RECONCILE_INTERVAL_SECONDS + 60;
  }

  private async enqueueStale(): Promise<number> {
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const rows: Array<{ id: string; due_at: Date }> = await this.dataSource.query(
        `SELECT id, due_at FROM reminders
          WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1)
            AND ($2::uuid IS NULL OR id > $2::uuid)
          ORDER BY id LIMIT $3`,
        [CLAIM_STALE_AFTER_SECONDS, after, BATCH],
      );
      total += await this.deliveries.add(rows);
      if (rows.length < BATCH) return total;
      after = rows.at(-1)!.id;
    }
  }

  private async repairFailedJobs(): Promise<number> {
    let repaired = 0;
    for (let start = 0; ; start += BATCH) {
      const jobs = (await this.queue.getFailed(start, start + BATCH - 1)).filter((job) => job?.data?.reminderId);
      if (jobs.length === 0) return repaired;
      const rows = await this.dataSource.query<Array<{ id: string; due_at: Date }>>(
        `SELECT id, due_at FROM reminders
          WHERE id = ANY($1::uuid[])
            AND (status = 'scheduled' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $2)))`,
        [jobs.map((job) => job.data.reminderId), CLAIM_STALE_AFTER_SECONDS],
      );
      const waiting = new Map(rows.map((row) => [row.id, row]));
      const stuck = jobs.filter(
        (job) => waiting.get(job.data.reminderId)?.due_at.getTime() === new Date(job.data.dueAt).getTime(),
      );
      for (const job of stuck) await job.remove();
      repaired += await this.deliveries.add(stuck.map((job) => waiting.get(job.data.reminderId)!));
      // Removing shifts the list: read the same window again until a page has nothing left to fix.
      if (stuck.length > 0) start -= BATCH;
      else if (jobs.length < BATCH) return repaired;
    }
  }
}
