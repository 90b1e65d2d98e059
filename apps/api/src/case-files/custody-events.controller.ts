import { CorrectCustodyEventDto, CustodyEventView, CustodyService } from '#case-files';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';

/** Custody events are appended under their person (`POST /persons/:id/custody-events`). */
@ApiTags('custody-events')
@ApiProblems()
@Controller('custody-events')
export class CustodyEventsController extends RecordRoutes({
  service: CustodyService,
  update: CorrectCustodyEventDto,
  view: CustodyEventView,
  summaries: {
    get: 'One custody event',
    update: 'Correct a custody event entered wrongly; a `reason` (or `X-Change-Reason`) is required',
    archive: 'Archive a custody event entered by mistake; `X-Change-Reason` is required',
    restore: 'Restore an archived custody event',
    history: 'Audit trail of a custody event: corrections with who, when and why',
  },
}) {}
