import { AuditEntryView } from '#audit';
import { HearingsService, HearingView, ListHearingsQueryDto, UpdateHearingDto } from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';

@ApiTags('hearings')
@ApiProblems()
@Controller('hearings')
export class HearingsController {
  constructor(private readonly hearings: HearingsService) {}

  @Get()
  @ApiOperation({
    summary: 'Hearings in time order, filtered by time window (`from` inclusive, `to` exclusive), case and status',
  })
  @ApiPage(HearingView)
  list(@Query() query: ListHearingsQueryDto, @CurrentActor() actor: Actor) {
    return this.hearings.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One hearing' })
  @ApiVersionedRecord({ type: HearingView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.hearings.get(id, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Move, postpone, cancel or record the outcome of a hearing' })
  @ApiVersionedRecord({ type: HearingView, ifMatch: true })
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateHearingDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.hearings.update(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Archive a hearing entered by mistake (one that will not take place is cancelled or postponed instead)',
  })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.hearings.archive(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived hearing' })
  @ApiOkResponse({ type: HearingView })
  restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.hearings.restore(id, context);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Audit trail of a hearing: who changed what, when and why (redacted for your access)' })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.hearings.history(id, query, actor);
  }
}
