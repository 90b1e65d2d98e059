import { AuditTrail } from '#audit';
import { type Actor, roleAtLeast } from '#common';
import { loggableError } from '#database';
import { Injectable, Logger } from '@nestjs/common';
import { Transform, type TransformCallback } from 'node:stream';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { readRows } from '../file/read-rows.js';
import { ImportFileError } from '../file/sniff.js';
import { ImportFiles } from '../import-files.js';
import { ImportEntity, type ImportRequester } from '../import.entity.js';
import { addProblems, emptyCounts, emptyReport, type ImportReport } from '../import-report.js';
import { type Header, resolveHeader } from '../rows/columns.js';
import type { ParsedRow, RawRow, RowResult } from '../rows/row-parser.js';
import { RowParsers } from '../rows/row-parsers.js';
import { emptyWrites } from './batch-writes.js';
import { type Candidate, findDuplicateCandidates } from './duplicate-candidates.js';
import { BatchWriter } from './batch-writer.js';
import { ImportPlanner } from './planner.js';
import { IMPORTED_TABLES, TableStatistics } from './table-statistics.js';

/** Rows planned and written together: one round of lookups and one multi-row insert per table. */
export const BATCH_ROWS = 1000;

/** Batches read and checked ahead of the one being written. */
const MAX_QUEUED_BATCHES = 2;

/** Records created by an import after which the tables it filled are analysed. */
const ANALYSE_AFTER_RECORDS = 20_000;

/** Progress is written to PostgreSQL at most this often. */
const PROGRESS_INTERVAL_MS = 500;

export type ImportOutcome = 'done' | 'failed' | 'skipped';

/** The import cannot go on, for a reason the user is told (and that trying again will not change). */
class ImportStopped extends Error {}

/**
 * Runs one import in the worker. It re-reads the import from PostgreSQL, streams its file from the
 * stored chunks, checks and plans the rows in batches of `BATCH_ROWS` and, in a real run, writes
 * each batch in the import's one transaction: all of the file or (`all-or-nothing`, once a row has
 * a problem) none of it. In `skip-invalid` mode rows with problems are left out. Audit entries are
 * staged as the batches are written and appended to the chain just before the commit, so the
 * chain's lock is held for seconds, not for the whole import. The report, the status and the
 * deletion of the file are committed with the records.
 *
 * Running it again for an import that has finished does nothing; a retry after a crash starts the
 * file over (nothing of an unfinished run was committed).
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);
  private readonly writer: BatchWriter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly files: ImportFiles,
    private readonly audit: AuditTrail,
  ) {
    this.writer = new BatchWriter(audit);
  }

  async run(
    importId: string,
    options: { lastAttempt: boolean; onProgress?: (percent: number, rows: number) => void },
  ): Promise<ImportOutcome> {
    const repo = this.dataSource.getRepository(ImportEntity);
    const claimed = await repo
      .createQueryBuilder()
      .update()
      .set({
        status: 'running',
        startedAt: () => 'now()',
        attempts: () => 'attempts + 1',
        progress: 0,
        rowsRead: 0,
        error: null,
      })
      .where("id = :importId AND status IN ('queued', 'running')", { importId })
      .returning('id')
      .execute();
    if ((claimed.raw as unknown[]).length === 0) return 'skipped';
    const entity = await repo.findOneByOrFail({ id: importId });
    const report = emptyReport();
    let transaction: QueryRunner | null = null;
    let actor: Actor;
    try {
      actor = await this.requester(entity.requestedBy);
      // Before anything is written (see `findDuplicateCandidates`).
      const candidates = await findDuplicateCandidates(
        this.dataSource,
        this.files.reader(entity.id),
        entity.format,
        actor,
      );
      if (!entity.dryRun) {
        transaction = this.dataSource.createQueryRunner();
        await transaction.connect();
        await transaction.startTransaction();
      }
      const manager = transaction?.manager ?? this.dataSource.manager;
      await this.importRows(entity, actor, manager, report, candidates, options.onProgress);
      const failed = !entity.dryRun && entity.mode === 'all-or-nothing' && report.invalidRows > 0;
      if (failed || !transaction) {
        if (transaction) await transaction.rollbackTransaction();
        await this.dataSource.transaction((m) =>
          this.finish(
            m,
            entity,
            failed ? 'failed' : 'done',
            report,
            failed ? `${report.invalidRows} row(s) have problems (see errors); nothing was imported` : null,
          ),
        );
        return failed ? 'failed' : 'done';
      }
      if (wroteAnything(report)) {
        // One entry for the import as a whole, after those of its records (whose reasons name it).
        await this.audit.stage(manager, [
          {
            context: { actor, reason: null },
            action: 'import',
            entityType: 'import',
            entityId: entity.id,
            after: {
              fileName: entity.fileName,
              format: entity.format,
              mode: entity.mode,
              rows: report.rows,
              created: report.created,
              updated: report.updated,
            },
            visibility: ['internal'],
            notify: false,
          },
        ]);
      }
      await this.audit.appendStaged(manager);
      await this.finish(manager, entity, 'done', report, null);
      await transaction.commitTransaction();
      await this.analyse(report);
      return 'done';
    } catch (error) {
      if (transaction?.isTransactionActive) await transaction.rollbackTransaction().catch(() => undefined);
      const permanent = error instanceof ImportFileError || error instanceof ImportStopped;
      // Retried by the queue, which keeps the failure reason in Redis: described without values.
      if (!permanent && !options.lastAttempt) throw loggableError(error);
      this.logger.error(`import ${importId} failed: ${loggableError(error).message}`);
      await this.dataSource.transaction((m) => this.finish(m, entity, 'failed', report, failureMessage(error)));
      return 'failed';
    } finally {
      await transaction?.release();
    }
  }

  /** Reads, checks, plans and (in a real run) writes every row of the file. */
  private async importRows(
    entity: ImportEntity,
    actor: Actor,
    manager: EntityManager,
    report: ImportReport,
    candidates: Map<number, Candidate[]>,
    onProgress?: (percent: number, rows: number) => void,
  ): Promise<void> {
    const planner = new ImportPlanner(
      { importId: entity.id, fileName: entity.fileName, actor, manager, candidates, lock: !entity.dryRun },
      report,
    );
    const allOrNothing = entity.mode === 'all-or-nothing';
    // After a problem in all-or-nothing mode nothing more is written (it is rolled back anyway),
    // but every row is still checked, so that the report lists every problem at once.
    let writing = !entity.dryRun;
    const parsers = new RowParsers(Number(entity.byteSize));
    const statistics = new TableStatistics(manager);
    const processBatch = async (results: RowResult[]) => {
      const valid: ParsedRow[] = [];
      for (const result of results) {
        if (result.ok) {
          valid.push(result.row);
        } else {
          report.invalidRows += 1;
          addProblems(report, result.problems);
          if (allOrNothing) writing = false;
        }
      }
      const writes = emptyWrites();
      const invalid = await planner.plan(valid, writes);
      report.invalidRows += invalid;
      if (invalid > 0 && allOrNothing) writing = false;
      if (writing) {
        await this.writer.write(manager, writes);
        const { persons, custodyEvents, cases, hearings } = report.created;
        await statistics.afterBatch(persons + custodyEvents + cases + hearings);
      }
    };
    // Batches are checked (on the parsing thread), then planned and written (here) in file order;
    // while one is written the next ones are read and checked, so that the CPU's work and the
    // database's overlap. At most `MAX_QUEUED_BATCHES` are read ahead.
    let inFlight: Promise<void> = Promise.resolve();
    const queued: Array<Promise<void>> = [];
    let batch: RawRow[] = [];
    let header: Header | null = null;
    const submit = async () => {
      if (batch.length === 0) return;
      if (queued.length >= MAX_QUEUED_BATCHES) await queued.shift();
      const checking = parsers.parse(header!, batch);
      checking.catch(() => undefined); // reported through `inFlight`
      batch = [];
      inFlight = inFlight.then(async () => processBatch(await checking));
      inFlight.catch(() => undefined); // awaited below; a failure surfaces at the next wait
      queued.push(inFlight);
    };
    const progress = new ProgressReporter(this.dataSource, entity, onProgress);
    const counter = new ByteCounter();
    try {
      for await (const raw of readRows(this.files.reader(entity.id).pipe(counter), entity.format)) {
        if (!header) {
          const resolved = resolveHeader(raw.cells, raw.row);
          if (resolved.problems.length > 0) {
            addProblems(report, resolved.problems);
            throw new ImportStopped('the header row has problems (see errors)');
          }
          header = resolved.header;
          continue;
        }
        report.rows += 1;
        batch.push(raw);
        if (batch.length >= BATCH_ROWS) await submit();
        progress.update(counter.bytes, report.rows);
      }
      await submit();
      await inFlight;
    } finally {
      // Nothing may still use the transaction when it is committed or rolled back.
      await inFlight.catch(() => undefined);
      await parsers.close();
      await progress.settled();
    }
    if (!header) throw new ImportFileError('the file has no header row (the first row names the columns)');
    report.errors.sort((a, b) => a.row - b.row);
  }

  /**
   * After a large import, fresh planner statistics for the tables it filled: until autovacuum
   * gets to them, queries (the next import's lookups among them) would plan for the tables as
   * they were. Best effort: the import has committed already.
   */
  private async analyse(report: ImportReport): Promise<void> {
    const { created } = report;
    if (created.persons + created.custodyEvents + created.cases + created.hearings < ANALYSE_AFTER_RECORDS) return;
    await this.dataSource
      .query(`ANALYZE ${[...IMPORTED_TABLES, 'audit_log'].join(', ')}`)
      .catch((error: Error) => this.logger.warn(`ANALYZE after import failed: ${error.message}`));
  }

  /** Records the outcome, and deletes the uploaded file: the report is what remains of it. */
  private async finish(
    manager: EntityManager,
    entity: ImportEntity,
    status: 'done' | 'failed',
    report: ImportReport,
    error: string | null,
  ): Promise<void> {
    // A failed import wrote nothing: what its valid rows would have written is not reported.
    if (status === 'failed') {
      Object.assign(report, { imported: 0, unchanged: 0, created: emptyCounts(), updated: { persons: 0, cases: 0 } });
    }
    await manager.update(
      ImportEntity,
      { id: entity.id },
      {
        status,
        progress: 100,
        rowsRead: report.rows,
        report: report as never,
        error,
        finishedAt: new Date(),
        fileDeletedAt: new Date(),
      },
    );
    await this.files.remove([entity.id], manager);
  }

  /** The requester as they are now: deactivated users, revoked keys and lost roles import nothing. */
  private async requester(requestedBy: ImportRequester): Promise<Actor> {
    let role: Actor['role'] | null = null;
    if (requestedBy.kind === 'user' && requestedBy.id) {
      const [user] = await this.dataSource.query<Array<{ role: Actor['role'] }>>(
        'SELECT role FROM users WHERE id = $1 AND deactivated_at IS NULL',
        [requestedBy.id],
      );
      role = user?.role ?? null;
    } else if (requestedBy.kind === 'api-key' && requestedBy.id) {
      const [key] = await this.dataSource.query<Array<{ scope: string }>>(
        'SELECT scope FROM api_keys WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
        [requestedBy.id],
      );
      role = key ? (key.scope === 'read-write' ? 'editor' : 'viewer') : null;
    } else if (requestedBy.kind === 'system') {
      role = requestedBy.role;
    }
    if (!role || !roleAtLeast(role, 'editor')) {
      throw new ImportStopped('whoever asked for this import may no longer write case files');
    }
    return { kind: requestedBy.kind, id: requestedBy.id, label: requestedBy.label, role };
  }
}

function wroteAnything(report: ImportReport): boolean {
  const { created, updated } = report;
  return (
    created.persons + created.custodyEvents + created.cases + created.hearings + updated.persons + updated.cases > 0
  );
}

/** Safe to show: file problems name rows and columns only; anything else is not described. */
function failureMessage(error: unknown): string {
  if (error instanceof ImportFileError) {
    return error.row === null ? error.message : `row ${error.row}: ${error.message}; nothing was imported`;
  }
  if (error instanceof ImportStopped) return `${error.message}; nothing was imported`;
  return 'The import could not be completed and nothing was imported. Try again; if it fails again, an administrator can find the cause in the worker log.';
}

/** Counts the bytes of the file read so far (for progress). */
class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** Writes progress to the import row (on its own connection) and to the job, at most twice a second. */
class ProgressReporter {
  private last = 0;
  private percent = -1;
  private pending: Promise<unknown> = Promise.resolve();
  private readonly total: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: ImportEntity,
    private readonly onProgress?: (percent: number, rows: number) => void,
  ) {
    this.total = Math.max(Number(entity.byteSize), 1);
  }

  update(bytes: number, rows: number): void {
    if (Date.now() - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = Date.now();
    // 99 at most until the import is committed.
    const percent = Math.min(99, Math.floor((bytes / this.total) * 100));
    this.onProgress?.(percent, rows);
    if (percent === this.percent && rows === 0) return;
    this.percent = percent;
    this.pending = this.dataSource
      .query(`UPDATE imports SET progress = $2, rows_read = $3 WHERE id = $1 AND status = 'running'`, [
        this.entity.id,
        percent,
        rows,
      ])
      .catch(() => undefined);
  }

  settled(): Promise<unknown> {
    return this.pending;
  }
}
