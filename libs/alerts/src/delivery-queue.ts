import { AppConfig } from '#config';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DELIVERY_QUEUE, type DeliveryJob, deliveryJobId } from './jobs.js';

/**
 * Adds delivery jobs for reminders, from what PostgreSQL holds: only `scheduled` reminders, each
 * as a delayed job whose id is derived from the reminder id and due time. Adding the same job
 * twice is harmless, so every caller (after a commit, the reconciler, a retry) can simply add.
 */
@Injectable()
export class DeliveryQueue {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJob>,
  ) {}

  /** Enqueues the given reminders that are still scheduled. */
  async enqueue(reminderIds: string[]): Promise<number> {
    if (reminderIds.length === 0) return 0;
    const rows = await this.dataSource.query<Array<{ id: string; due_at: Date }>>(
      `SELECT id, due_at FROM reminders WHERE id = ANY($1) AND status = 'scheduled'`,
      [reminderIds],
    );
    return this.add(rows);
  }

  /** Adds jobs for rows of `reminders` (id and due time), in chunks. */
  async add(rows: Array<{ id: string; due_at: Date }>): Promise<number> {
    const now = Date.now();
    for (let i = 0; i < rows.length; i += 1000) {
      await this.queue.addBulk(
        rows.slice(i, i + 1000).map((row) => ({
          name: 'deliver',
          data: { reminderId: row.id, dueAt: row.due_at.toISOString() },
          opts: {
            ...this.jobOptions(),
            jobId: deliveryJobId(row.id, row.due_at),
            delay: Math.max(0, row.due_at.getTime() - now),
          },
        })),
      );
    }
    return rows.length;
  }

  private jobOptions(): JobsOptions {
    const env = this.config.env;
    return {
      attempts: env.DELIVERY_ATTEMPTS,
      backoff: { type: 'exponential', delay: env.DELIVERY_BACKOFF_MS },
      // PostgreSQL keeps the outcome; Redis only needs the job until it is done.
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    };
  }
}
