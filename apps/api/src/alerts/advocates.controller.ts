import {
  AdvocateCreatedView,
  AdvocatesService,
  AdvocateView,
  CalendarUrlView,
  CreateAdvocateDto,
  ListAdvocatesQueryDto,
  UpdateAdvocateDto,
  WebhookSecretView,
} from '#alerts';
import type { Actor, WriteContext } from '#common';
import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor, RequireRole } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { RecordRoutes } from '../http/record-routes.js';
import { UuidParam } from '../http/uuid-param.js';

@ApiTags('advocates')
@ApiProblems()
@Controller('advocates')
export class AdvocatesController extends RecordRoutes({
  service: AdvocatesService,
  update: UpdateAdvocateDto,
  view: AdvocateView,
  summaries: {
    get: 'One advocate (the webhook secret is never shown again)',
    update: 'Change an advocate: name, email, language, time zone, webhook URL, linked person',
    archive: 'Archive an advocate: their scheduled reminders are cancelled (restore plans them again)',
    restore: 'Restore an archived advocate and plan their reminders again',
    history: 'Audit trail of an advocate (secrets show only as redacted changes)',
  },
}) {
  constructor(private readonly advocates: AdvocatesService) {
    super();
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Add an advocate who follows cases; the answer shows their webhook signing secret, once',
  })
  @ApiCreatedResponse({ type: AdvocateCreatedView })
  create(@Body() dto: CreateAdvocateDto, @ChangeContext() context: WriteContext) {
    return this.advocates.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List advocates (oldest first), optionally by email or linked person' })
  @ApiPage(AdvocateView)
  list(@Query() query: ListAdvocatesQueryDto, @CurrentActor() actor: Actor) {
    return this.advocates.list(query, actor);
  }

  @Post(':id/webhook-secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Make a new webhook signing secret (shown once); the old one stops being used' })
  @ApiOkResponse({ type: WebhookSecretView })
  rotateWebhookSecret(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.advocates.rotateWebhookSecret(id, context);
  }

  @Get(':id/calendar-url')
  // The URL is a credential that works without a login, and outlives a viewer's access: editors only.
  @RequireRole('editor')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The advocate's private iCalendar URL of the hearings they follow (editors)" })
  @ApiOkResponse({ type: CalendarUrlView })
  calendarUrl(@UuidParam() id: string) {
    return this.advocates.calendarUrl(id);
  }

  @Post(':id/calendar-url')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Make a new private calendar URL; the old one stops working at once' })
  @ApiOkResponse({ type: CalendarUrlView })
  rotateCalendarUrl(@UuidParam() id: string, @ChangeContext() context: WriteContext) {
    return this.advocates.rotateCalendarUrl(id, context);
  }
}
