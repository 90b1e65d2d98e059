import {
  CasesService,
  CaseView,
  CreateCaseDto,
  CreateHearingDto,
  HearingsService,
  HearingView,
  ListCasesQueryDto,
  UpdateCaseDto,
} from '#case-files';
import { PageQueryDto } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';

@ApiTags('cases')
@ApiProblems()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly hearings: HearingsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a case with its participants and charges' })
  @ApiCreatedResponse({ type: CaseView })
  create(@Body() dto: CreateCaseDto) {
    return this.cases.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List cases (oldest first)' })
  @ApiPage(CaseView)
  list(@Query() query: ListCasesQueryDto) {
    return this.cases.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case with participants, charges, outcome and next hearing' })
  @ApiVersionedRecord({ type: CaseView })
  get(@UuidParam() id: string) {
    return this.cases.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a case; `participants`, `charges` and `sourceIds` replace the stored lists' })
  @ApiVersionedRecord({ type: CaseView, ifMatch: true })
  update(@UuidParam() id: string, @Body() dto: UpdateCaseDto, @IfMatchVersion() version?: number) {
    return this.cases.update(id, dto, version);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a case (restore brings it back)' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(@UuidParam() id: string, @IfMatchVersion() version?: number): Promise<void> {
    await this.cases.archive(id, version);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived case' })
  @ApiOkResponse({ type: CaseView })
  restore(@UuidParam() id: string) {
    return this.cases.restore(id);
  }

  @Post(':id/hearings')
  @ApiOperation({ summary: 'Schedule a hearing in this case' })
  @ApiCreatedResponse({ type: HearingView })
  createHearing(@UuidParam() id: string, @Body() dto: CreateHearingDto) {
    return this.hearings.create(id, dto);
  }

  @Get(':id/hearings')
  @ApiOperation({ summary: 'Hearings of this case in time order' })
  @ApiPage(HearingView)
  listHearings(@UuidParam() id: string, @Query() query: PageQueryDto) {
    return this.hearings.listOfCase(id, query);
  }
}
