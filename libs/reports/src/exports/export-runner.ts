import { DomainError } from '#common';
import { AppConfig } from '#config';
import { ChunkStore, loggableError } from '#database';
import { Injectable, Logger } from '@nestjs/common';
import { finished } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { FORMAT_MEDIA } from '../reports.js';
import { EXPORT_CHUNKS, ExportEntity } from './export.entity.js';
import { ReportProducer } from './report-producer.js';

/** Progress is written to PostgreSQL at most this often (a list reports it per row). */
const PROGRESS_INTERVAL_MS = 500;

export type ExportOutcome = 'done' | 'failed' | 'skipped';

/**
 * Renders one export in the worker: re-reads the request from PostgreSQL, streams the file into
 * `export_chunks`, and records progress and the outcome. Running it again for an export that is
 * finished does nothing; a retry after a crash starts the file over.
 */
@Injectable()
export class ExportRunner {
  private readonly logger = new Logger(ExportRunner.name);
  private readonly chunks: ChunkStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: ReportProducer,
    private readonly config: AppConfig,
  ) {
    this.chunks = new ChunkStore(dataSource, EXPORT_CHUNKS);
  }

  async run(
    exportId: string,
    options: { lastAttempt: boolean; onProgress?: (percent: number) => void },
  ): Promise<ExportOutcome> {
    const repo = this.dataSource.getRepository(ExportEntity);
    const started = await repo
      .createQueryBuilder()
      .update()
      .set({ status: 'running', startedAt: () => 'now()', attempts: () => 'attempts + 1', progress: 0, error: null })
      .where("id = :exportId AND status IN ('queued', 'running')", { exportId })
      .returning('id')
      .execute();
    // Only a queued export, or one whose worker died mid-render, is (re)started.
    if ((started.raw as unknown[]).length === 0) return 'skipped';
    const request = await repo.findOneByOrFail({ id: exportId });
    await this.chunks.remove(this.dataSource.manager, [exportId]);
    const out = this.chunks.writer(exportId);
    let lastWrite = 0;
    const onProgress = (percent: number) => {
      options.onProgress?.(percent);
      if (Date.now() - lastWrite < PROGRESS_INTERVAL_MS) return;
      lastWrite = Date.now();
      void repo.update({ id: exportId, status: 'running' }, { progress: percent }).catch(() => undefined);
    };
    try {
      const { fileName } = await this.producer.produce(request, out, { onProgress });
      await finished(out);
      await repo.update(
        { id: exportId },
        {
          status: 'done',
          progress: 100,
          fileName,
          contentType: FORMAT_MEDIA[request.format].contentType,
          byteSize: String(out.bytesStored()),
          finishedAt: new Date(),
          expiresAt: new Date(Date.now() + this.config.env.EXPORT_RETENTION_HOURS * 3_600_000),
        },
      );
      return 'done';
    } catch (error) {
      out.destroy();
      await this.chunks.remove(this.dataSource.manager, [exportId]);
      // Domain errors (the person was archived since, say) will not go away by retrying.
      const permanent = error instanceof DomainError;
      // Retried by the queue, which keeps the failure reason in Redis: described without values.
      if (!permanent && !options.lastAttempt) throw loggableError(error);
      this.logger.error(`export ${exportId} failed: ${loggableError(error).message}`);
      await repo.update({ id: exportId }, { status: 'failed', finishedAt: new Date(), error: failureMessage(error) });
      return 'failed';
    }
  }
}

/** Safe to show: domain errors name ids and fields only; anything else is not described. */
function failureMessage(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return 'The report could not be rendered. Try again; if it fails again, an administrator can find the cause in the worker log.';
}
