import { AuditEntryView } from '#audit';
import { type Actor, InvalidInputError, PageQueryDto, type WriteContext } from '#common';
import { CampaignDto, CampaignsService, CampaignView } from '#reports';
import {
  Body,
  Controller,
  createParamDecorator,
  Delete,
  type ExecutionContext,
  Get,
  HttpCode,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChangeContext, CurrentActor } from '../auth/auth.decorators.js';
import { ApiPage, ApiProblems, ApiVersionedRecord } from '../http/openapi.js';
import { UuidParam } from '../http/uuid-param.js';
import { IfMatchVersion, IfMatchVersionIfSent } from '../http/versioning.js';

/** `If-None-Match: *`: create only, never replace. No other value is meaningful here. */
const IfNoneMatchAny = createParamDecorator((_: unknown, ctx: ExecutionContext): boolean => {
  const header = ctx.switchToHttp().getRequest<Request>().headers['if-none-match'];
  if (header === undefined) return false;
  if (header.trim() !== '*') throw InvalidInputError.field('If-None-Match', 'must be "*" (create only)');
  return true;
});

/** The campaign kept with a person: what an Urgent Action on them says, whom to write to, by when. */
@ApiTags('campaigns')
@ApiProblems()
@Controller('persons/:id/campaign')
export class CampaignController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOperation({ summary: "The person's campaign: headline, model letter, officials to write to, deadline" })
  @ApiVersionedRecord({ type: CampaignView })
  get(@UuidParam() id: string, @CurrentActor() actor: Actor) {
    return this.campaigns.get(id, actor);
  }

  @Put()
  @ApiOperation({
    summary: "Create the person's campaign (201), or replace it (200, with If-Match); fields left out are cleared",
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Needed to replace a campaign: the `ETag` you read (412 if it has changed since, 428 without).',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: '`*`: only create; 412 if the person already has a campaign.',
  })
  @ApiCreatedResponse({ type: CampaignView, description: 'Created; `ETag` carries its version.' })
  @ApiVersionedRecord({ type: CampaignView })
  @ApiResponse({ status: 412, description: 'Stale `If-Match`, or `If-None-Match: *` and a campaign exists.' })
  @ApiResponse({ status: 428, description: 'A campaign exists and no `If-Match` was sent.' })
  async put(
    @UuidParam() id: string,
    @Body() dto: CampaignDto,
    @IfMatchVersionIfSent() version: number | null,
    @IfNoneMatchAny() createOnly: boolean,
    @ChangeContext() context: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CampaignView> {
    const { created, campaign } = await this.campaigns.put(id, dto, version, createOnly, context);
    res.status(created ? 201 : 200);
    return campaign;
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Archive the person's campaign (nothing is destroyed; its history stays)" })
  @ApiVersionedRecord({ ifMatch: true, returnsRecord: false })
  @ApiNoContentResponse({ description: 'Archived.' })
  async archive(
    @UuidParam() id: string,
    @IfMatchVersion() version: number,
    @ChangeContext() context: WriteContext,
  ): Promise<void> {
    await this.campaigns.archive(id, version, context);
  }

  @Get('history')
  @ApiOperation({
    summary: "Audit trail of the person's campaign (or of the last one archived), redacted for your access",
  })
  @ApiPage(AuditEntryView)
  history(@UuidParam() id: string, @Query() query: PageQueryDto, @CurrentActor() actor: Actor) {
    return this.campaigns.history(id, query, actor);
  }
}
