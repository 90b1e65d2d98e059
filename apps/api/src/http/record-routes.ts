import { AuditEntryView } from '#audit';
import { type Actor, type Page, PageQueryDto, type WriteContext } from '#common';
import { Body, Delete, Get, HttpCode, Inject, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiVersionedRecord } from './openapi.js';
import { UuidParam } from './uuid-param.js';
import { createValidationPipe } from './validation.js';
import { IfMatchVersion } from './versioning.js';

/** What every versioned record's service offers: read, change, archive, restore, history. */
export interface VersionedRecordService {
  get(id: string, reader: Actor): Promise<object>;
  update(id: string, dto: object, version: number, context: WriteContext): Promise<object>;
  archive(id: string, version: number, context: WriteContext): Promise<void>;
  restore(id: string, context: WriteContext): Promise<object>;
  history(id: string, page: PageQueryDto, reader: Actor): Promise<Page<AuditEntryView>>;
}

export interface RecordRoutesOptions {
  service: Type<VersionedRecordService>;
  update: Type<object>;
  view: Type<object>;
  summaries: { get: string; update: string; archive: string; restore: string; history: string };
}

/**
 * The routes every versioned record has, in one place: `GET /:id` (with its `ETag`),
 * `PATCH /:id` and `DELETE /:id` (both with `If-Match`), `POST /:id/restore` and
 * `GET /:id/history`. A controller extends the class this returns, adds its own routes, and
 * carries `@Controller(path)` itself (a decorator on the concrete class is also what makes
 * TypeScript emit its constructor's parameter types for injection). The PATCH body is validated
 * against `update` explicitly, since a generic method has no type metadata.
 */
export function RecordRoutes(options: RecordRoutesOptions) {
  const { summaries } = options;

  abstract class Routes {
    @Inject(options.service) protected readonly records!: VersionedRecordService;

    @Get(':id')
    @ApiOperation({ summary: summaries.get })
    @ApiVersionedRecord({ type: options.view })
    get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
      return this.records.get(id, actor);
    }

    @Patch(':id')
    @ApiOperation({ summary: summaries.update })
    @ApiBody({ type: options.update })
    @ApiVersionedRecord({ type: options.view, ifMatch: true })
    update(
      @UuidParam() id: string,
      @Body(createValidationPipe(options.update)) dto: object,
      @IfMatchVersion() version: number,
      @ChangeContext() context: WriteContext,
    ) {
      return this.records.update(id, dto, version, context);
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation({ summary: summaries.archive })
    @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
    @ApiNoContentResponse({ description: 'Archived.' })
    async archive(
      @UuidParam() id: string,
      @IfMatchVersion() version: number,
      @ChangeContext() context: WriteContext,
    ): Promise<void> {
      await this.records.archive(id, version, context);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @ApiOperation({ summary: summaries.restore })
    @ApiOkResponse({ type: options.view })
    restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
      return this.records.restore(id, context);
    }

    @Get(':id/history')
    @ApiOperation({ summary: summaries.history })
    @ApiPage(AuditEntryView)
    history(
      @UuidParam() id: string,
      @Query(createValidationPipe(PageQueryDto)) query: PageQueryDto,
      @CurrentActor() actor: Actor,
    ) {
      return this.records.history(id, query, actor);
    }
  }
  return Routes;
}
