import {
  CreateCustodyEventDto,
  CreatePersonDto,
  CustodyEventView,
  CustodyService,
  ListPersonsQueryDto,
  PersonCaseFileView,
  PersonsService,
  PersonSummaryView,
  UpdatePersonDto,
} from '#case-files';
import { PageQueryDto } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';

@ApiTags('persons')
@ApiProblems()
@Controller('persons')
export class PersonsController {
  constructor(
    private readonly persons: PersonsService,
    private readonly custody: CustodyService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a person with every known spelling of their name' })
  @ApiCreatedResponse({ type: PersonCaseFileView, description: 'The stored case file.' })
  create(@Body() dto: CreatePersonDto) {
    return this.persons.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List persons (oldest first), with current custody' })
  @ApiPage(PersonSummaryView)
  list(@Query() query: ListPersonsQueryDto) {
    return this.persons.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole case file: names, custody, cases with charges and next hearing' })
  @ApiVersionedRecord({ type: PersonCaseFileView })
  get(@UuidParam() id: string) {
    return this.persons.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a person; lists sent (names, designations, ...) replace the stored ones' })
  @ApiVersionedRecord({ type: PersonCaseFileView, ifMatch: true })
  update(@UuidParam() id: string, @Body() dto: UpdatePersonDto, @IfMatchVersion() version?: number) {
    return this.persons.update(id, dto, version);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a person (nothing is destroyed; restore brings it back)' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(@UuidParam() id: string, @IfMatchVersion() version?: number): Promise<void> {
    await this.persons.archive(id, version);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived person' })
  @ApiOkResponse({ type: PersonCaseFileView })
  restore(@UuidParam() id: string) {
    return this.persons.restore(id);
  }

  @Post(':id/custody-events')
  @ApiOperation({ summary: 'Append a custody event (custody history is append-only)' })
  @ApiCreatedResponse({ type: CustodyEventView })
  appendCustodyEvent(@UuidParam() id: string, @Body() dto: CreateCustodyEventDto) {
    return this.custody.append(id, dto);
  }

  @Get(':id/custody-events')
  @ApiOperation({ summary: 'Custody history, oldest first' })
  @ApiPage(CustodyEventView)
  listCustodyEvents(@UuidParam() id: string, @Query() query: PageQueryDto) {
    return this.custody.list(id, query);
  }
}
