import { type Actor, PageQueryDto, type WriteContext } from '#common';
import type { RecordService } from '#reference-data';
import { Body, Controller, Get, Post, Query, type Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';
import { createValidationPipe } from '../http/validation.js';

// The services are generic over their entity; the controller only needs the record operations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRecordService = RecordService<any, object, object, object>;

/**
 * Builds the controller of a simple record type: create and list, plus the routes every
 * versioned record has. Bodies are validated against the given DTO classes explicitly, since a
 * generic method carries no type metadata.
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
  const bare = noun.replace(/^an? /, '');

  @ApiTags(options.path)
  @ApiProblems()
  @Controller(options.path)
  class GeneratedRecordController extends RecordRoutes({
    service: options.service,
    update: options.update,
    view: options.view,
    summaries: {
      get: `One ${bare}`,
      update: `Change ${noun}`,
      archive: `Archive ${noun} (restore brings it back)`,
      restore: `Restore an archived ${bare}`,
      history: `Audit trail of one ${bare}: who changed what, when and why`,
    },
  }) {
    @Post()
    @ApiOperation({ summary: `Create ${noun}` })
    @ApiBody({ type: options.create })
    @ApiCreatedResponse({ type: options.view })
    create(@Body(createValidationPipe(options.create)) dto: object, @ChangeContext() context: WriteContext) {
      return (this.records as AnyRecordService).create(dto, context);
    }

    @Get()
    @ApiOperation({ summary: `List ${options.path} (oldest first)` })
    @ApiPage(options.view)
    list(@Query(createValidationPipe(PageQueryDto)) query: PageQueryDto, @CurrentActor() actor: Actor) {
      return (this.records as AnyRecordService).list(query, actor);
    }
  }
  return GeneratedRecordController;
}
