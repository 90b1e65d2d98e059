import {
  CreateCustodyEventDto,
  CreateNoteDto,
  CreatePersonDto,
  CustodyEventView,
  CustodyService,
  ListPersonsQueryDto,
  NotesService,
  NoteView,
  PersonCaseFileView,
  PersonFacetsView,
  PersonsService,
  PersonSummaryView,
  UpdatePersonDto,
} from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';
import { UuidParam } from '../http/uuid-param.js';

@ApiTags('persons')
@ApiProblems()
@Controller('persons')
export class PersonsController extends RecordRoutes({
  service: PersonsService,
  update: UpdatePersonDto,
  view: PersonCaseFileView,
  summaries: {
    get: 'The whole case file: names, custody, cases with charges and next hearing',
    update: 'Change a person; lists sent (names, designations, ...) replace the stored ones',
    archive: 'Archive a person (nothing is destroyed; restore brings it back)',
    restore: 'Restore an archived person',
    history: "Audit trail of a person's file: who changed what, when and why (redacted for your access)",
  },
}) {
  constructor(
    private readonly persons: PersonsService,
    private readonly custody: CustodyService,
    private readonly notes: NotesService,
  ) {
    super();
  }

  @Post()
  @ApiOperation({ summary: 'Create a person with every known spelling of their name' })
  @ApiCreatedResponse({ type: PersonCaseFileView, description: 'The stored case file.' })
  create(@Body() dto: CreatePersonDto, @ChangeContext() context: WriteContext) {
    return this.persons.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List persons (oldest first), with current custody; `facets=true` adds counts' })
  @ApiExtraModels(PersonSummaryView, PersonFacetsView)
  @ApiOkResponse({
    description: 'One page; pass `nextCursor` back as `cursor` for the next one (null on the last page).',
    schema: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: { $ref: getSchemaPath(PersonSummaryView) } },
        nextCursor: { type: 'string', nullable: true },
        facets: {
          description: 'Only with `facets=true`: counts over every page of the filtered list.',
          allOf: [{ $ref: getSchemaPath(PersonFacetsView) }],
        },
      },
    },
  })
  list(@Query() query: ListPersonsQueryDto, @CurrentActor() actor: Actor) {
    return this.persons.list(query, actor);
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
