import { AuditTrail } from '#audit';
import { PersonsService } from '#case-files';
import {
  type Actor,
  audienceReader,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  roleAtLeast,
} from '#common';
import { AppConfig } from '#config';
import { ChunkStore } from '#database';
import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import type { Audience, ReportFormat, ReportKind } from '../reports.js';
import type { CreateExportDto } from './export.dto.js';
import { EXPORT_CHUNKS, ExportEntity, type ExportRequester } from './export.entity.js';
import { ExportQueue } from './export-queue.js';
import { exportView, type ExportView, isExpired } from './export.view.js';

/** What an export is of, and for whom: what the audit entry records. */
export interface ExportRequest {
  kind: ReportKind;
  format: ReportFormat;
  language: string;
  audience: Audience;
  personId: string | null;
  filter: Record<string, unknown> | null;
}

/**
 * Export requests: checks who may ask for what, records the request and its audit entry in one
 * transaction, and enqueues the rendering after the commit. Files are read back as streams.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);
  private readonly chunks: ChunkStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly persons: PersonsService,
    private readonly audit: AuditTrail,
    private readonly queue: ExportQueue,
    private readonly config: AppConfig,
  ) {
    this.chunks = new ChunkStore(dataSource, EXPORT_CHUNKS);
  }

  async create(dto: CreateExportDto, actor: Actor): Promise<ExportView> {
    const request: ExportRequest = {
      kind: dto.kind,
      format: dto.format,
      language: dto.language ?? 'en',
      audience: dto.audience ?? 'public',
      personId: dto.personId ?? null,
      filter: dto.filter ? { ...dto.filter } : null,
    };
    checkShape(request);
    await this.authorise(request, actor);
    const saved = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ExportEntity);
      const entity = await repo.save(
        repo.create({
          ...request,
          status: 'queued',
          requestedBy: requester(actor),
          expiresAt: new Date(Date.now() + this.retentionMs),
        }),
      );
      await this.recordExport(manager, actor, request, entity.id);
      return entity;
    });
    // After the commit; if Redis is away, the reconciler enqueues it when it is back.
    await this.queue.add([saved.id]).catch((error: Error) => {
      this.logger.warn(`export ${saved.id} saved but not enqueued yet: ${error.message}`);
    });
    return exportView(saved);
  }

  async get(id: string, actor: Actor): Promise<ExportView> {
    return exportView(await this.find(id, actor));
  }

  /** The finished file, as a stream of its stored chunks. */
  async file(id: string, actor: Actor): Promise<{ export: ExportView; stream: Readable }> {
    const entity = await this.find(id, actor);
    // Past its retention the file is gone for the reader, whether or not the reconciler has run.
    if (isExpired(entity)) {
      throw new GoneError(`Export ${id} has expired and its file was deleted; ask for a new one.`);
    }
    if (entity.status !== 'done') {
      throw new ConflictError(`Export ${id} is ${entity.status}; its file is there once the status is done.`);
    }
    return { export: exportView(entity), stream: this.chunks.reader(id) };
  }

  /**
   * Checks a request for a report on behalf of `actor`: internal reports are for editors and
   * admins; a dossier needs a person the actor may see and the audience may see.
   */
  async authorise(request: ExportRequest, actor: Actor): Promise<void> {
    if (request.audience === 'internal' && !roleAtLeast(actor.role, 'editor')) {
      throw new ForbiddenError('Internal reports are for editors and admins; viewers may export public reports.');
    }
    if (request.personId === null) return;
    await this.persons.get(request.personId, actor);
    if (await this.visibleTo(request.personId, request.audience)) return;
    // The actor may see the person, the audience may not. The message names no value of the
    // case file: only whether an internal report would do.
    if (request.audience === 'public' && (await this.visibleTo(request.personId, 'internal'))) {
      throw InvalidInputError.field(
        'audience',
        'this case file is not public: only an internal report (editors and admins) may include it',
      );
    }
    throw InvalidInputError.field(
      'personId',
      'this case file is restricted: restricted case files are never exported, for any audience',
    );
  }

  /** Whether a report for `audience` may include the person (restricted ones never). */
  private async visibleTo(personId: string, audience: Audience): Promise<boolean> {
    try {
      await this.persons.get(personId, audienceReader(audience));
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** Audits a report rendered at once (the synchronous dossier routes). */
  async recordImmediate(actor: Actor, request: ExportRequest): Promise<void> {
    await this.dataSource.transaction((manager) => this.recordExport(manager, actor, request, null));
  }

  /** The audit entry of an export: who, what (kind, person or filter, format, language), which audience. */
  private async recordExport(manager: EntityManager, actor: Actor, request: ExportRequest, exportId: string | null) {
    await this.audit.record(
      manager,
      { actor, reason: null },
      {
        action: 'export',
        entityType: request.personId ? 'person' : 'export',
        entityId: request.personId ?? exportId!,
        after: { exportId, ...request },
        visibility: [request.audience],
      },
    );
  }

  private get retentionMs(): number {
    return this.config.env.EXPORT_RETENTION_HOURS * 3_600_000;
  }

  /** An export is shown to whoever asked for it, and to admins; to anyone else it does not exist. */
  private async find(id: string, actor: Actor): Promise<ExportEntity> {
    const entity = await this.dataSource.manager.findOneBy(ExportEntity, { id });
    const mine = entity && entity.requestedBy.kind === actor.kind && entity.requestedBy.id === actor.id;
    if (!entity || !(mine || actor.role === 'admin')) throw new NotFoundError('export', id);
    return entity;
  }
}

function checkShape(request: ExportRequest): void {
  if (request.kind === 'dossier' && request.personId === null) {
    throw InvalidInputError.field('personId', 'a dossier needs the id of its person');
  }
  if (request.kind === 'dossier' && request.filter !== null) {
    throw InvalidInputError.field('filter', 'a dossier is about one person: filter is for campaign lists');
  }
  if (request.kind === 'campaign' && request.personId !== null) {
    throw InvalidInputError.field('personId', 'a campaign list is chosen by filter, not personId');
  }
}

function requester(actor: Actor): ExportRequester {
  return { kind: actor.kind, id: actor.id, label: actor.label };
}
