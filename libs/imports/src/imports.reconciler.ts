import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportQueue } from './import-queue.js';

/** Requests younger than this may still be on their way to Redis (enqueued right after commit). */
const GRACE_SECONDS = 30;

/** Chunks of an upload older than this that never became a queued import are deleted. */
const ABANDONED_UPLOAD_SECONDS = 3600;

export interface ImportsReconcileResult {
  requeued: number;
  /** Uploaded files (or what was stored of them) deleted: abandoned uploads, finished imports. */
  filesDeleted: number;
}

/**
 * Keeps Redis in line with PostgreSQL for imports: re-enqueues imports whose job is missing
 * (Redis lost its data, the API died between commit and enqueue), and deletes uploaded bytes
 * nothing needs any more: those of an upload that never became an import (the API died, or the
 * client went away, mid-upload) and any left by a finished import.
 */
@Injectable()
export class ImportsReconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: ImportQueue,
  ) {}

  async run(): Promise<ImportsReconcileResult> {
    const open = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM imports WHERE status IN ('queued', 'running')
         AND created_at < now() - make_interval(secs => $1) ORDER BY seq LIMIT 1000`,
      [GRACE_SECONDS],
    );
    const ids = open.map((row) => row.id);
    const pending = await this.queue.pending(ids);
    const missing = ids.filter((id) => !pending.has(id));
    await this.queue.add(missing);
    const deleted = await this.dataSource.query<[Array<{ import_id: string }>, number]>(
      `DELETE FROM import_chunks c
        WHERE NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = c.import_id AND i.status IN ('queued', 'running'))
          AND (c.created_at < now() - make_interval(secs => $1)
               OR EXISTS (SELECT 1 FROM imports i WHERE i.id = c.import_id))
        RETURNING c.import_id`,
      [ABANDONED_UPLOAD_SECONDS],
    );
    return { requeued: missing.length, filesDeleted: new Set(deleted[0].map((row) => row.import_id)).size };
  }
}
