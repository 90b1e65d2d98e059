import { type Actor, type FieldError, ForbiddenError, InvalidInputError, NotFoundError, roleAtLeast } from '#common';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportFileError, sniffFormat } from './file/sniff.js';
import { ImportFiles } from './import-files.js';
import { ImportEntity, type ImportMode, type ImportRequester } from './import.entity.js';
import { REPORT_LIMIT, type RowProblem } from './import-report.js';
import { ImportQueue } from './import-queue.js';
import { importView, type ImportView } from './import.view.js';
import { preflight } from './preflight.js';

/** Largest file accepted (413 beyond). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A file received for an import: its chunks are stored under `importId` already. */
export interface UploadedImportFile {
  importId: string;
  fileName: string;
  byteSize: number;
}

export interface ImportOptions {
  dryRun: boolean;
  mode: ImportMode;
}

/**
 * Import requests. Whatever can be told from the file alone is answered at once (400): what it
 * is (CSV text in UTF-8, or an XLSX workbook), whether it can be read, its header and, for a
 * real `all-or-nothing` import, the first rows (`PREFLIGHT_ROWS`); then the request is recorded
 * and queued. The worker checks every row, against the database too, and audits what it writes.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly files: ImportFiles,
    private readonly queue: ImportQueue,
  ) {}

  async create(file: UploadedImportFile, options: ImportOptions, actor: Actor): Promise<ImportView> {
    let saved: ImportEntity;
    try {
      if (!roleAtLeast(actor.role, 'editor')) throw new ForbiddenError('Imports need the editor role.');
      const format = sniffFormat(await this.files.head(file.importId));
      const check = await preflight(this.files.reader(file.importId), format);
      if (check.headerProblems.length > 0) throw new InvalidInputError(fieldErrors(check.headerProblems));
      if (!options.dryRun && options.mode === 'all-or-nothing' && check.rowProblems.length > 0) {
        throw new InvalidInputError(fieldErrors(check.rowProblems));
      }
      saved = await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(ImportEntity);
        const entity = repo.create({
          id: file.importId,
          status: 'queued',
          mode: options.mode,
          dryRun: options.dryRun,
          fileName: file.fileName,
          format,
          byteSize: String(file.byteSize),
          requestedBy: requester(actor),
        });
        await repo.insert(entity);
        return repo.findOneByOrFail({ id: file.importId });
      });
    } catch (error) {
      await this.files.remove([file.importId]).catch(() => undefined);
      if (error instanceof ImportFileError) {
        throw new InvalidInputError([
          { field: 'file', message: error.message, ...(error.row !== null ? { row: error.row } : {}) },
        ]);
      }
      throw error;
    }
    // After the commit; if Redis is away, the reconciler enqueues it when it is back.
    await this.queue.add([saved.id]).catch((error: Error) => {
      this.logger.warn(`import ${saved.id} saved but not enqueued yet: ${error.message}`);
    });
    return importView(saved);
  }

  /** Deletes what was stored of an upload that did not become an import. */
  async discardUpload(importId: string): Promise<void> {
    await this.files.remove([importId]);
  }

  async get(id: string, actor: Actor): Promise<ImportView> {
    return importView(await this.find(id, actor));
  }

  /** An import is shown to whoever asked for it, and to admins; to anyone else it does not exist. */
  private async find(id: string, actor: Actor): Promise<ImportEntity> {
    const entity = await this.dataSource.manager.findOneBy(ImportEntity, { id });
    const mine = entity && entity.requestedBy.kind === actor.kind && entity.requestedBy.id === actor.id;
    if (!entity || !(mine || actor.role === 'admin')) throw new NotFoundError('import', id);
    return entity;
  }
}

/** Problems as the API's field errors, each with its row and column (`field` is the column). */
function fieldErrors(problems: RowProblem[]): FieldError[] {
  return problems
    .slice(0, REPORT_LIMIT)
    .map((p) => ({ field: p.column, row: p.row, column: p.column, message: p.message }));
}

function requester(actor: Actor): ImportRequester {
  return { kind: actor.kind, id: actor.id, label: actor.label, role: actor.role };
}
