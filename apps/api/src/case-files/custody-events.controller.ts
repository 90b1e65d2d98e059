import { AuditEntryView } from '#audit';
import { CorrectCustodyEventDto, CustodyEventView, CustodyService } from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';

@ApiTags('custody-events')
@ApiProblems()
@Controller('custody-events')
export class CustodyEventsController {
  constructor(private readonly custody: CustodyService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One custody event' })
  @ApiVersionedRecord({ type: CustodyEventView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.custody.get(id, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Correct a custody event entered wrongly; a `reason` (or `X-Change-Reason`) is required' })
  @ApiVersionedRecord({ type: CustodyEventView, ifMatch: true })
  correct(
    @UuidParam() id: string,
    @Body() dto: CorrectCustodyEventDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.custody.correct(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a custody event entered by mistake; `X-Change-Reason` is required' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.custody.archive(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived custody event' })
  @ApiOkResponse({ type: CustodyEventView })
  restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.custody.restore(id, context);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Audit trail of a custody event: corrections with who, when and why' })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.custody.history(id, query, actor);
  }
}
