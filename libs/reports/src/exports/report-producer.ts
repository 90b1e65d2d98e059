import type { PersonFilter } from '#case-files';
import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CampaignListBuilder, type QueryClock } from '../builder/campaign-list.builder.js';
import { DossierBuilder } from '../builder/dossier.builder.js';
import { renderReport, reportFileName } from '../render/index.js';
import type { ExportRequest } from './exports.service.js';

export interface Produced {
  fileName: string;
}

/**
 * Reads a report's data and renders it into a stream: the one path for the worker's exports
 * and the API's synchronous dossiers. A campaign list is read and written inside one read-only
 * REPEATABLE READ transaction, so that its summary and its rows describe the same moment.
 */
@Injectable()
export class ReportProducer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dossiers: DossierBuilder,
    private readonly campaigns: CampaignListBuilder,
  ) {}

  async produce(
    request: ExportRequest,
    out: Writable,
    options: { onProgress?: (percent: number) => void; clock?: QueryClock; now?: Date } = {},
  ): Promise<Produced> {
    const { onProgress, now = new Date() } = options;
    if (request.kind === 'dossier') {
      const data = await this.dossiers.build(request.personId!, request.audience, request.language, now);
      onProgress?.(50);
      await renderReport(data, request.format, out);
      return { fileName: reportFileName(data, request.format) };
    }
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const data = await this.campaigns.build(
        manager,
        (request.filter ?? {}) as PersonFilter,
        request.audience,
        request.language,
        {
          now,
          clock: options.clock,
          onRow: onProgress && ((done, total) => onProgress(Math.floor((done / Math.max(total, 1)) * 95))),
        },
      );
      await renderReport(data, request.format, out);
      return { fileName: reportFileName(data, request.format) };
    });
  }
}
