import { NotesService, NoteView, UpdateNoteDto } from '#case-files';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';

/** Notes are added under their person or case (`POST /persons/:id/notes`, `POST /cases/:id/notes`). */
@ApiTags('notes')
@ApiProblems()
@Controller('notes')
export class NotesController extends RecordRoutes({
  service: NotesService,
  update: UpdateNoteDto,
  view: NoteView,
  summaries: {
    get: 'One note',
    update: 'Change a note (its body or visibility)',
    archive: 'Archive a note (restore brings it back)',
    restore: 'Restore an archived note',
    history: 'Audit trail of a note: who changed it, when and why',
  },
}) {}
