import {
  HearingsService,
  HearingView,
  ListHearingsQueryDto,
  UpcomingHearingsQueryDto,
  UpcomingHearingView,
  UpdateHearingDto,
} from '#case-files';
import type { Actor } from '#common';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';

@ApiTags('hearings')
@ApiProblems()
@Controller('hearings')
export class HearingsController extends RecordRoutes({
  service: HearingsService,
  update: UpdateHearingDto,
  view: HearingView,
  summaries: {
    get: 'One hearing',
    update: 'Move, postpone, cancel or record the outcome of a hearing',
    archive: 'Archive a hearing entered by mistake (one that will not take place is cancelled or postponed instead)',
    restore: 'Restore an archived hearing',
    history: 'Audit trail of a hearing: who changed what, when and why (redacted for your access)',
  },
}) {
  constructor(private readonly hearings: HearingsService) {
    super();
  }

  @Get()
  @ApiOperation({
    summary: 'Hearings in time order, filtered by time window (`from` inclusive, `to` exclusive), case and status',
  })
  @ApiPage(HearingView)
  list(@Query() query: ListHearingsQueryDto, @CurrentActor() actor: Actor) {
    return this.hearings.list(query, actor);
  }

  // Declared here, in the subclass, so that Nest registers it before the inherited `GET /:id`.
  @Get('upcoming')
  @ApiOperation({
    summary:
      'Scheduled hearings from now until `days` ahead (default 14), in time order, with their case and defendants',
  })
  @ApiPage(UpcomingHearingView)
  upcoming(@Query() query: UpcomingHearingsQueryDto, @CurrentActor() actor: Actor) {
    return this.hearings.upcoming(query, actor);
  }
}
