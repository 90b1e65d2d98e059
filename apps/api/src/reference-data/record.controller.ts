import { PageQueryDto } from '#common';
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

// The services are generic over their entity; the controller only needs the record operations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRecordService = RecordService<any, unknown, object, object>;

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
    create(@Body(createValidationPipe(options.create)) dto: object) {
      return this.service.create(dto);
    }

    @Get()
    @ApiOperation({ summary: `List ${options.path} (oldest first)` })
    @ApiPage(options.view)
    list(@Query(createValidationPipe(PageQueryDto)) query: PageQueryDto) {
      return this.service.list(query);
    }

    @Get(':id')
    @ApiOperation({ summary: `One ${noun.replace(/^an? /, '')}` })
    @ApiVersionedRecord({ type: options.view })
    get(@UuidParam() id: string) {
      return this.service.get(id);
    }

    @Patch(':id')
    @ApiOperation({ summary: `Change ${noun}` })
    @ApiBody({ type: options.update })
    @ApiVersionedRecord({ type: options.view, ifMatch: true })
    update(
      @UuidParam() id: string,
      @Body(createValidationPipe(options.update)) dto: object,
      @IfMatchVersion() version?: number,
    ) {
      return this.service.update(id, dto, version);
    }

    @Delete(':id')
    @HttpCode(204)
    @ApiOperation({ summary: `Archive ${noun} (restore brings it back)` })
    @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
    @ApiNoContentResponse({ description: 'Archived.' })
    async archive(@UuidParam() id: string, @IfMatchVersion() version?: number): Promise<void> {
      await this.service.archive(id, version);
    }

    @Post(':id/restore')
    @HttpCode(200)
    @ApiOperation({ summary: `Restore an archived ${noun.replace(/^an? /, '')}` })
    @ApiOkResponse({ type: options.view })
    restore(@UuidParam() id: string) {
      return this.service.restore(id);
    }
  }
  return GeneratedRecordController;
}
