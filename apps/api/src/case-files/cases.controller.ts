import {
  CasesService,
  CaseView,
  CreateCaseDto,
  CreateHearingDto,
  CreateNoteDto,
  HearingsService,
  HearingView,
  ListCasesQueryDto,
  NotesService,
  NoteView,
  UpdateCaseDto,
} from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';
import { UuidParam } from '../http/uuid-param.js';

@ApiTags('cases')
@ApiProblems()
@Controller('cases')
export class CasesController extends RecordRoutes({
  service: CasesService,
  update: UpdateCaseDto,
  view: CaseView,
  summaries: {
    get: 'A case with participants, charges, outcome and next hearing',
    update: 'Change a case; `participants`, `charges` and `sourceIds` replace the stored lists',
    archive: 'Archive a case (restore brings it back)',
    restore: 'Restore an archived case',
    history: 'Audit trail of a case: who changed what, when and why (redacted for your access)',
  },
}) {
  constructor(
    private readonly cases: CasesService,
    private readonly hearings: HearingsService,
    private readonly notes: NotesService,
  ) {
    super();
  }

  @Post()
  @ApiOperation({ summary: 'Create a case with its participants and charges' })
  @ApiCreatedResponse({ type: CaseView })
  create(@Body() dto: CreateCaseDto, @ChangeContext() context: WriteContext) {
    return this.cases.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List cases (oldest first)' })
  @ApiPage(CaseView)
  list(@Query() query: ListCasesQueryDto, @CurrentActor() actor: Actor) {
    return this.cases.list(query, actor);
  }

  @Post(':id/hearings')
  @ApiOperation({ summary: 'Schedule a hearing in this case' })
  @ApiCreatedResponse({ type: HearingView })
  createHearing(@UuidParam() id: string, @Body() dto: CreateHearingDto, @ChangeContext() context: WriteContext) {
    return this.hearings.create(id, dto, context);
  }

  @Get(':id/hearings')
  @ApiOperation({ summary: 'Hearings of this case in time order' })
  @ApiPage(HearingView)
  listHearings(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.hearings.listOfCase(id, query, actor);
  }

  @Post(':id/notes')
  @ApiOperation({ summary: "Add a note to this case's file (encrypted at rest; `restricted` needs clearance)" })
  @ApiCreatedResponse({ type: NoteView })
  createNote(@UuidParam() id: string, @Body() dto: CreateNoteDto, @ChangeContext() context: WriteContext) {
    return this.notes.create({ kind: 'case', id }, dto, context);
  }

  @Get(':id/notes')
  @ApiOperation({ summary: "Notes in this case's file that you may read, oldest first" })
  @ApiPage(NoteView)
  listNotes(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.notes.listOf({ kind: 'case', id }, query, actor);
  }
}
