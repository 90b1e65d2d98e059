import { AuditEntryView } from '#audit';
import {
  CasesService,
  CreateNoteDto,
  NotesService,
  NoteView,
  CaseView,
  CreateCaseDto,
  CreateHearingDto,
  HearingsService,
  HearingView,
  ListCasesQueryDto,
  UpdateCaseDto,
} from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';

@ApiTags('cases')
@ApiProblems()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly hearings: HearingsService,
    private readonly notes: NotesService,
  ) {}

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

  @Get(':id')
  @ApiOperation({ summary: 'A case with participants, charges, outcome and next hearing' })
  @ApiVersionedRecord({ type: CaseView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.cases.get(id, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a case; `participants`, `charges` and `sourceIds` replace the stored lists' })
  @ApiVersionedRecord({ type: CaseView, ifMatch: true })
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateCaseDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.cases.update(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a case (restore brings it back)' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.cases.archive(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived case' })
  @ApiOkResponse({ type: CaseView })
  restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.cases.restore(id, context);
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

  @Get(':id/history')
  @ApiOperation({ summary: 'Audit trail of a case: who changed what, when and why (redacted for your access)' })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.cases.history(id, query, actor);
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
