import { CalendarService } from '#alerts';
import { Controller, Get, Param, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { UuidParam } from '../http/uuid-param.js';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/**
 * iCalendar (RFC 5545) feeds of hearings, outside `/api` so that calendar apps can subscribe to
 * a plain URL: an advocate's private feed (the token in the URL is the credential) and the feed
 * of each public case.
 */
@ApiTags('calendar')
@Controller({ path: 'calendar', version: VERSION_NEUTRAL })
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('cases/:caseId.ics')
  @Public()
  @ApiOperation({ summary: 'The public hearings of a public case, as an iCalendar feed (no sign-in)', security: [] })
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'The feed.' })
  @ApiResponse({ status: 404, description: 'No public case with this id.' })
  async caseFeed(@UuidParam('caseId') caseId: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const feed = await this.calendars.caseFeed(caseId);
    res.type(CALENDAR_TYPE).setHeader('Cache-Control', 'public, max-age=300');
    return feed;
  }

  @Get(':token.ics')
  @Public()
  @ApiOperation({
    summary: "An advocate's private iCalendar feed of the hearings they follow (the URL is the credential)",
    security: [],
  })
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'The feed.' })
  @ApiResponse({ status: 404, description: 'Unknown (or rotated) calendar URL.' })
  async advocateFeed(@Param('token') token: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const feed = await this.calendars.advocateFeed(token);
    res.type(CALENDAR_TYPE).setHeader('Cache-Control', 'private, max-age=300');
    return feed;
  }
}
