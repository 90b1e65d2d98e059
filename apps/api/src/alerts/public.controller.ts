import {
  FollowAcceptedView,
  FollowCaseDto,
  PublicCaseService,
  PublicCaseView,
  PublicFollowService,
  type PublicOutcome,
} from '#alerts';
import { InvalidInputError } from '#common';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { UuidParam } from '../http/uuid-param.js';
import { caseName, confirmForm, page, publicCasePage, unsubscribeForm } from './pages.js';

const TOKEN_QUERY = ApiQuery({ name: 'token', required: true, description: 'The signed token from the email link.' });

const followingPage = ({ caseTitle, caseId }: PublicOutcome) =>
  page(
    'You now follow this case',
    [
      `You now follow ${caseName(caseTitle)}: we will email you before its hearings and when they change.`,
      'Every email has a link to unsubscribe.',
    ],
    // This page is under /api/v1/public/subscriptions/: the case's page while it is public.
    caseId ? `<p><a href="../cases/${caseId}">See the case</a></p>` : '',
  );

/**
 * Alerts for the public, without a login: following a public case by email (double opt-in),
 * confirming by the button of the page the emailed link opens, and unsubscribing by the link
 * every message carries (RFC 8058 one-click POST). A GET only shows a page with a button: mail
 * scanners open links.
 */
@ApiTags('public')
@Controller('public')
export class PublicAlertsController {
  constructor(
    private readonly follows: PublicFollowService,
    private readonly cases: PublicCaseService,
  ) {}

  @Get('cases/:caseId')
  @Public()
  @ApiOperation({
    summary:
      'The public page of a public case (no sign-in): defendants with public records, charges, public hearings, the calendar feed and a form to follow it. HTML, or JSON when asked for (`Accept: application/json`)',
    security: [],
  })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: PublicCaseView })
  @ApiResponse({ status: 404, description: 'No public case with this id.' })
  async casePage(
    @UuidParam('caseId') caseId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicCaseView | string> {
    const view = await this.cases.view(caseId);
    res.setHeader('Cache-Control', 'public, max-age=60').vary('Accept');
    if (req.accepts(['html', 'json']) === 'json') return view;
    res.type('html');
    return publicCasePage(view);
  }

  @Post('cases/:caseId/follow')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Follow a public case by email (no sign-in): a link to confirm is emailed; the answer is the same whether or not the address already follows it',
    security: [],
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiAcceptedResponse({ type: FollowAcceptedView, description: 'Accepted (an HTML page for a form post).' })
  @ApiResponse({ status: 400, description: 'Invalid email, language or time zone.' })
  @ApiResponse({ status: 404, description: 'No public case with this id.' })
  async follow(
    @UuidParam('caseId') caseId: string,
    @Body() dto: FollowCaseDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FollowAcceptedView | string> {
    const accepted = await this.follows.follow(caseId, dto);
    // The form of the case page gets a page back.
    if (!req.is('application/x-www-form-urlencoded')) return accepted;
    res.type('html');
    return page('Check your email', [accepted.message, 'Open the link in it to start receiving alerts.']);
  }

  @Get('subscriptions/confirm')
  @Public()
  @ApiOperation({
    summary:
      'The page behind the link in the confirmation email: a button to confirm following the case (this GET changes nothing)',
    security: [],
  })
  @TOKEN_QUERY
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'A page with a button to confirm (or saying it is confirmed already).' })
  @ApiResponse({ status: 400, description: 'Not a valid (or no longer a valid) confirmation link.' })
  async confirmPage(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    res.type('html');
    try {
      const outcome = await this.follows.confirmPage(token);
      if (outcome.active) return followingPage(outcome);
      return page(
        'Follow this case',
        [`Receive emails before the hearings of ${caseName(outcome.caseTitle)}, and when they change?`],
        confirmForm(token as string),
      );
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      res.status(400);
      return page('This link does not work', [
        'This confirmation link is not valid, the request it confirms has ended, or its case can no longer be followed.',
      ]);
    }
  }

  @Post('subscriptions/confirm')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm following a case (the button of the confirmation page); reminders are then planned',
    security: [],
  })
  @TOKEN_QUERY
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Confirmed (also when it already was): reminders are planned.' })
  @ApiResponse({ status: 400, description: 'Not a valid (or no longer a valid) confirmation link.' })
  async confirm(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    // As the unsubscribe POST: a bad token (not from the page, which checked it) is a problem+json 400.
    const outcome = await this.follows.confirm(token);
    res.type('html');
    return followingPage(outcome);
  }

  @Get('unsubscribe')
  @Public()
  @ApiOperation({
    summary: 'The page behind an unsubscribe link: a button to unsubscribe (this GET changes nothing)',
    security: [],
  })
  @TOKEN_QUERY
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'A page with an unsubscribe button.' })
  @ApiResponse({ status: 400, description: 'Not a valid unsubscribe link.' })
  async unsubscribePage(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    res.type('html');
    try {
      const outcome = await this.follows.unsubscribePage(token);
      if (outcome.cancelled) {
        return page('You are unsubscribed', [`You no longer receive emails about ${caseName(outcome.caseTitle)}.`]);
      }
      return page(
        'Unsubscribe',
        [`Stop receiving emails about ${caseName(outcome.caseTitle)}?`],
        unsubscribeForm(token as string),
      );
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      res.status(400);
      return page('This link does not work', ['This unsubscribe link is not valid.']);
    }
  }

  @Post('unsubscribe')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Unsubscribe (RFC 8058 one-click: POST `List-Unsubscribe=One-Click` as a form); the scheduled reminders are cancelled',
    security: [],
  })
  @TOKEN_QUERY
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed (also when it already was).' })
  @ApiResponse({ status: 400, description: 'Not a valid unsubscribe link.' })
  async unsubscribe(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): Promise<string> {
    const outcome = await this.follows.unsubscribe(token);
    res.type('html');
    return page('You are unsubscribed', [`You no longer receive emails about ${caseName(outcome.caseTitle)}.`]);
  }
}
