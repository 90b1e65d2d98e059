import { AuditEntryView } from '#audit';
import { NotesService, NoteView, UpdateNoteDto } from '#case-files';
import { type Actor, PageQueryDto, type WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion } from '../http/versioning.js';

@ApiTags('notes')
@ApiProblems()
@Controller('notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One note' })
  @ApiVersionedRecord({ type: NoteView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.notes.get(id, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a note (its body or visibility)' })
  @ApiVersionedRecord({ type: NoteView, ifMatch: true })
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateNoteDto,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ) {
    return this.notes.update(id, dto, version, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a note (restore brings it back)' })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.notes.archive(id, version, context);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived note' })
  @ApiOkResponse({ type: NoteView })
  restore(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.notes.restore(id, context);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Audit trail of a note: who changed it, when and why' })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.notes.history(id, query, actor);
  }
}
