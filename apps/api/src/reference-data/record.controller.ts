import { AuditEntryView } from '#audit';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import type { RecordService } from '#reference-data';
import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post, Query, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { createValidationPipe } from '../http/validation.js';
import { IfMatchVersion } from '../http/versioning.js';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';

// The services are generic over their entity; the controller only needs the record operations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRecordService = RecordService<any, object, object, object>;

/**
 * Builds the controller of a simple record type (create, list, get, update, archive, restore).
 * Bodies are validated against the given DTO classes explicitly, since a generic method carries
 * no type metadata.
 */
export function RecordController(options: {
  path: string;
  noun: string;
  service: Type<AnyRecordService>;
  create: Type<object>;
  update: Type<object>;
  view: Type<object>;
}) {
  const { noun } = options;

  @ApiTags(options.path)
  @ApiProblems()
  @Controller(options.path)
  class GeneratedRecordController {
    constructor(@Inject(options.service) readonly service: AnyRecordService) {}

    @Post()
    @ApiOperation({ summary: `Create ${noun}` })
    @ApiBody({ type: options.create })
    @ApiCreatedResponse({ type: options.view })
    create(@Body(createValidationPipe(options.create)) dto: object, @ChangeContext() context: WriteContext) {
      return this.service.create(dto, context);
    }

    @Get()
    @ApiOperation({ summary: `List ${options.path} (oldest first)` })
    @ApiPage(options.view)
    list(@Query(createValidationPipe(PageQueryDto)) query: PageQueryDto, @CurrentActor() actor: Actor) {
      return this.service.list(query, actor);
    }

    @Get(':id')
    @ApiOperation({ summary: `One ${noun.replace(/^an? /, '')}` })
    @ApiVersionedRecord({ type: options.view })
    get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
      return this.service.get(id, actor);
    }

    @Patch(':id')
    @ApiOperation({ summary: `Change ${noun}` })
    @ApiBody({ type: options.update })
    @ApiVersionedRecord({ type: options.view, ifMatch: true })
    update(
      @UuidParam() id: string,
      @Body(createValidationPipe(options.update)) dto: object,
      @IfMatchVersion() version: number,
      @ChangeContext() context: WriteContext,
    ) {
      return this.service.update(id, dto, version, context);
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation({ summary: `Archive ${noun} (restore brings it back)` })
    @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
    @ApiNoContentResponse({ description: 'Archived.' })
    async archive(
      @UuidParam() id: string,
      @IfMatchVersion() version: number,
      @ChangeContext() context: WriteContext,
    ): Promise<void> {
      await this.service.archive(id, version, context);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @ApiOperation({ summary: `Restore an archived ${noun.replace(/^an? /, '')}` })
    @ApiOkResponse({ type: options.view })
    restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
      return this.service.restore(id, context);
    }

    @Get(':id/history')
    @ApiOperation({ summary: `Audit trail of ${noun.replace(/^an? /, 'one ')}: who changed what, when and why` })
    @ApiPage(AuditEntryView)
    history(
      @UuidParam() id: string,
      @Query(createValidationPipe(PageQueryDto)) query: PageQueryDto,
      @CurrentActor() actor: Actor,
    ) {
      return this.service.history(id, query, actor);
    }
  }
  return GeneratedRecordController;
}
