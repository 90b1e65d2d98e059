import { ChunkStore } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXPORT_CHUNKS } from './export.entity.js';
import { ExportQueue } from './export-queue.js';

/** Requests younger than this may still be on their way to Redis (enqueued right after commit). */
const GRACE_SECONDS = 30;

export interface ExportsReconcileResult {
  requeued: number;
  expired: number;
}

/**
 * Keeps Redis in line with PostgreSQL for exports: re-enqueues requests whose job is missing
 * (Redis lost its data, the API died between commit and enqueue), and deletes files past their
 * retention (the request stays, `expired`).
 */
@Injectable()
export class ExportsReconciler {
  private readonly chunks: ChunkStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: ExportQueue,
  ) {
    this.chunks = new ChunkStore(dataSource, EXPORT_CHUNKS);
  }

  async run(): Promise<ExportsReconcileResult> {
    const open = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM exports WHERE status IN ('queued', 'running')
         AND created_at < now() - make_interval(secs => $1) ORDER BY seq LIMIT 1000`,
      [GRACE_SECONDS],
    );
    const ids = open.map((row) => row.id);
    const pending = await this.queue.pending(ids);
    const missing = ids.filter((id) => !pending.has(id));
    await this.queue.add(missing);
    const expired = await this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<[Array<{ id: string }>, number]>(
        `UPDATE exports SET status = 'expired' WHERE status = 'done' AND expires_at < now() RETURNING id`,
      );
      const expiredIds = rows[0].map((row) => row.id);
      await this.chunks.remove(manager, expiredIds);
      return expiredIds.length;
    });
    return { requeued: missing.length, expired };
  }
}
