import { ListRemindersQueryDto, RemindersService, ReminderView } from '#alerts';
import type { Actor, WriteContext } from '#common';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';

@ApiTags('reminders')
@ApiProblems()
@Controller('reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @ApiOperation({
    summary: 'Reminders and notices by due time, filtered by status (e.g. `failed`), advocate and hearing',
  })
  @ApiPage(ReminderView)
  list(@Query() query: ListRemindersQueryDto, @CurrentActor() actor: Actor) {
    return this.reminders.list(query, actor);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a failed reminder again, now (editor); its attempts start from zero',
  })
  @ApiOkResponse({ type: ReminderView })
  @ApiConflictResponse({ description: 'The reminder is not `failed`.' })
  retry(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.reminders.retry(id, context);
  }
}
