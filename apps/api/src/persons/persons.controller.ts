import {
  CreateCustodyEventDto,
  CreatePersonDto,
  CustodyService,
  ListPersonsQueryDto,
  PersonsService,
  UpdatePersonDto,
} from '#case-files';
import { PageQueryDto } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
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
  @ApiCreatedResponse({ description: 'The stored case file, with `id`, `displayName` and `version`.' })
  create(@Body() dto: CreatePersonDto) {
    return this.persons.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List persons (oldest first), with current custody' })
  @ApiOkResponse({ description: '`{"items": [...], "nextCursor": string | null}`' })
  list(@Query() query: ListPersonsQueryDto) {
    return this.persons.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole case file: names, custody, cases with charges and next hearing' })
  @ApiVersionedRecord()
  get(@UuidParam() id: string) {
    return this.persons.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a person; lists sent (names, designations, ...) replace the stored ones' })
  @ApiVersionedRecord({ ifMatch: true })
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
  restore(@UuidParam() id: string) {
    return this.persons.restore(id);
  }

  @Post(':id/custody-events')
  @ApiOperation({ summary: 'Append a custody event (custody history is append-only)' })
  @ApiCreatedResponse({ description: 'The stored event.' })
  appendCustodyEvent(@UuidParam() id: string, @Body() dto: CreateCustodyEventDto) {
    return this.custody.append(id, dto);
  }

  @Get(':id/custody-events')
  @ApiOperation({ summary: 'Custody history, oldest first' })
  listCustodyEvents(@UuidParam() id: string, @Query() query: PageQueryDto) {
    return this.custody.list(id, query);
  }
}
