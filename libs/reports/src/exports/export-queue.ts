import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { EXPORT_ATTEMPTS, EXPORT_QUEUE, type ExportJob, exportJobId } from './jobs.js';

/** Adds export jobs; adding one twice is harmless (deterministic job ids). */
@Injectable()
export class ExportQueue {
  constructor(@InjectQueue(EXPORT_QUEUE) private readonly queue: Queue<ExportJob>) {}

  async add(exportIds: string[]): Promise<void> {
    if (exportIds.length === 0) return;
    await this.queue.addBulk(
      exportIds.map((exportId) => ({
        name: 'render',
        data: { exportId },
        opts: {
          jobId: exportJobId(exportId),
          attempts: EXPORT_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          // PostgreSQL keeps the outcome; the job id is free again for a later re-enqueue.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /** Ids among `exportIds` that have a job waiting, delayed or running. */
  async pending(exportIds: string[]): Promise<Set<string>> {
    const states = await Promise.all(
      exportIds.map(async (id) => [id, await this.queue.getJobState(exportJobId(id))] as const),
    );
    return new Set(states.filter(([, state]) => state !== 'unknown').map(([id]) => id));
  }
}
