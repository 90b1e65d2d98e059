import { HearingsService, HearingView, ListHearingsQueryDto, UpdateHearingDto } from '#case-files';
import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';

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
  list(@Query() query: ListHearingsQueryDto) {
    return this.hearings.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One hearing' })
  @ApiVersionedRecord({ type: HearingView })
  get(@UuidParam() id: string) {
    return this.hearings.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Move, postpone, cancel or record the outcome of a hearing' })
  @ApiVersionedRecord({ type: HearingView, ifMatch: true })
  update(@UuidParam() id: string, @Body() dto: UpdateHearingDto, @IfMatchVersion() version?: number) {
    return this.hearings.update(id, dto, version);
  }
}
