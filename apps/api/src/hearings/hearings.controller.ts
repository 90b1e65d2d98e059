import { HearingsService, ListHearingsQueryDto, UpdateHearingDto } from '#case-files';
import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
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
  @ApiOkResponse({ description: '`{"items": [...], "nextCursor": string | null}`' })
  list(@Query() query: ListHearingsQueryDto) {
    return this.hearings.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One hearing' })
  @ApiVersionedRecord()
  get(@UuidParam() id: string) {
    return this.hearings.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Move, postpone, cancel or record the outcome of a hearing' })
  @ApiVersionedRecord({ ifMatch: true })
  update(@UuidParam() id: string, @Body() dto: UpdateHearingDto, @IfMatchVersion() version?: number) {
    return this.hearings.update(id, dto, version);
  }
}
