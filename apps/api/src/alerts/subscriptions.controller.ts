import { CreateSubscriptionDto, ListSubscriptionsQueryDto, SubscriptionsService, SubscriptionView } from '#alerts';
import type { Actor, WriteContext } from '#common';
import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';

@ApiTags('subscriptions')
@ApiProblems()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Let an advocate follow a case, a person or a mass event; reminders for upcoming hearings are planned at once',
  })
  @ApiCreatedResponse({ type: SubscriptionView })
  create(@Body() dto: CreateSubscriptionDto, @ChangeContext() context: WriteContext) {
    return this.subscriptions.create(dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions (oldest first), by advocate, followed record or status' })
  @ApiPage(SubscriptionView)
  list(@Query() query: ListSubscriptionsQueryDto, @CurrentActor() actor: Actor) {
    return this.subscriptions.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  @ApiOkResponse({ type: SubscriptionView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.subscriptions.get(id, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a subscription (kept as `cancelled`); its scheduled reminders are cancelled' })
  @ApiNoContentResponse({ description: 'Ended.' })
  async cancel(@UuidParam() id: string, @ChangeContext() context: WriteContext): Promise<void> {
    await this.subscriptions.cancel(id, context);
  }
}
