import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { IMPORT_ATTEMPTS, IMPORT_QUEUE, type ImportJob, importJobId } from './jobs.js';

/** Adds import jobs; adding one twice is harmless (deterministic job ids). */
@Injectable()
export class ImportQueue {
  constructor(@InjectQueue(IMPORT_QUEUE) private readonly queue: Queue<ImportJob>) {}

  async add(importIds: string[]): Promise<void> {
    if (importIds.length === 0) return;
    await this.queue.addBulk(
      importIds.map((importId) => ({
        name: 'import',
        data: { importId },
        opts: {
          jobId: importJobId(importId),
          attempts: IMPORT_ATTEMPTS,
          backoff: { type: 'exponential', delay: 5000 },
          // PostgreSQL keeps the outcome; the job id is free again for a later re-enqueue.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /** Ids among `importIds` that have a job waiting, delayed or running. */
  async pending(importIds: string[]): Promise<Set<string>> {
    const states = await Promise.all(
      importIds.map(async (id) => [id, await this.queue.getJobState(importJobId(id))] as const),
    );
    return new Set(states.filter(([, state]) => state !== 'unknown').map(([id]) => id));
  }
}
