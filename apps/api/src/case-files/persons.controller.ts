import { AuditEntryView } from '#audit';
import {
  CreateCustodyEventDto,
  CreateNoteDto,
  NotesService,
  NoteView,
  CreatePersonDto,
  CustodyEventView,
  CustodyService,
  ListPersonsQueryDto,
  PersonCaseFileView,
  PersonsService,
  PersonSummaryView,
  UpdatePersonDto,
} from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';

@ApiTags('persons')
@ApiProblems()
@Controller('persons')
export class PersonsController {
  constructor(
    private readonly persons: PersonsService,
    private readonly custody: CustodyService,
    private readonly notes: NotesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a person with every known spelling of their name' })
  @ApiCreatedResponse({ type: PersonCaseFileView, description: 'The stored case file.' })
  create(@Body() dto: CreatePersonDto, @ChangeContext() context: WriteContext) {
    return this.persons.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List persons (oldest first), with current custody' })
  @ApiPage(PersonSummaryView)
  list(@Query() query: ListPersonsQueryDto, @CurrentActor() actor: Actor) {
    return this.persons.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole case file: names, custody, cases with charges and next hearing' })
  @ApiVersionedRecord({ type: PersonCaseFileView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.persons.get(id, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a person; lists sent (names, designations, ...) replace the stored ones' })
  @ApiVersionedRecord({ type: PersonCaseFileView, ifMatch: true })
  update(
    @UuidParam() id: string,
    @Body() dto: UpdatePersonDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.persons.update(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a person (nothing is destroyed; restore brings it back)' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.persons.archive(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived person' })
  @ApiOkResponse({ type: PersonCaseFileView })
  restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.persons.restore(id, context);
  }

  @Post(':id/custody-events')
  @ApiOperation({ summary: 'Append a custody event (corrections go to PATCH /custody-events/:id, with a reason)' })
  @ApiCreatedResponse({ type: CustodyEventView })
  appendCustodyEvent(
    @UuidParam() id: string,
    @Body() dto: CreateCustodyEventDto,
    @ChangeContext() context: WriteContext,
  ) {
    return this.custody.append(id, dto, context);
  }

  @Get(':id/custody-events')
  @ApiOperation({ summary: 'Custody history, oldest first' })
  @ApiPage(CustodyEventView)
  listCustodyEvents(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.custody.list(id, query, actor);
  }

  @Get(':id/history')
  @ApiOperation({
    summary: "Audit trail of a person's file: who changed what, when and why (redacted for your access)",
  })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.persons.history(id, query, actor);
  }

  @Post(':id/notes')
  @ApiOperation({ summary: "Add a note to this person's file (encrypted at rest; `restricted` needs clearance)" })
  @ApiCreatedResponse({ type: NoteView })
  createNote(@UuidParam() id: string, @Body() dto: CreateNoteDto, @ChangeContext() context: WriteContext) {
    return this.notes.create({ kind: 'person', id }, dto, context);
  }

  @Get(':id/notes')
  @ApiOperation({ summary: "Notes in this person's file that you may read, oldest first" })
  @ApiPage(NoteView)
  listNotes(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.notes.listOf({ kind: 'person', id }, query, actor);
  }
}
