import { secretHash } from '#access';
import { InvalidInputError, NotFoundError, systemWrite } from '#common';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AdvocatesService } from './advocates.service.js';
import { EnqueueAfterCommit } from './after-commit.js';
import { AdvocateEntity } from './advocate.entity.js';
import { ANNOUNCEMENTS, DEFAULT_LEAD_TIMES } from './alerts.js';
import { AlertLinks, type LinkClaim } from './links.js';
import type { FollowCaseDto } from './subscription.dto.js';
import { SubscriptionEntity } from './subscription.entity.js';
import type { FollowAcceptedView } from './subscription.view.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** The one answer to a follow request, whether or not the address already follows the case. */
export const FOLLOW_ACCEPTED: FollowAcceptedView = {
  status: 'pending',
  message: 'If this address can receive alerts, a link to confirm has been sent to it.',
};

/** A follow request asked again gets another confirmation email after this many minutes... */
export const CONFIRMATION_INTERVAL_MINUTES = 10;
/** ...and at most this many in all. */
export const MAX_CONFIRMATIONS = 3;

/** What a public page says about the subscription a link named. */
export interface PublicOutcome {
  /** The case's title while it is public and live; null otherwise (the page then says less). */
  caseTitle: string | null;
  caseId: string | null;
}

/**
 * The public side of alerts, without a login: anyone may ask to follow a public case by email
 * (double opt-in: a `pending` subscription and a confirmation email, activated by the signed
 * link in it), and anyone holding an unsubscribe link may end that subscription (RFC 8058
 * one-click). Writes are audited as the system acting for the public (`public-follow`,
 * `public-confirm`, `public-unsubscribe`). Answers never tell whether an address follows anything.
 */
@Injectable()
export class PublicFollowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly advocates: AdvocatesService,
    private readonly subscriptions: SubscriptionsService,
    private readonly links: AlertLinks,
    private readonly afterCommit: EnqueueAfterCommit,
  ) {}

  /**
   * Asks to follow a public, live case (404 otherwise): finds or makes a self-service advocate
   * for the email, and, unless the address already follows the case or is waiting to confirm,
   * a pending public-only subscription with a confirmation email to send.
   */
  async follow(caseId: string, dto: FollowCaseDto): Promise<FollowAcceptedView> {
    const context = systemWrite('public-follow');
    await this.dataSource.transaction(async (manager) => {
      await this.publicCase(manager, caseId);
      // One follow request per address at a time: the advocate is found or made only once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('public-follow:' || $1))`, [dto.email]);
      let advocate = await manager
        .createQueryBuilder(AdvocateEntity, 'advocate')
        .where('advocate.email = :email', { email: dto.email })
        .andWhere('advocate.archivedAt IS NULL')
        .setLock('pessimistic_write')
        .getOne();
      advocate ??= (
        await this.advocates.insert(manager, context, {
          name: dto.name ?? dto.email,
          email: dto.email,
          language: dto.language ?? 'en',
          timeZone: dto.timeZone ?? 'UTC',
          webhookUrl: null,
          personId: null,
          selfService: true,
          withWebhookSecret: false,
        })
      ).advocate;
      const target = { caseId, personId: null, eventId: null };
      const ongoing = await this.subscriptions.findOngoing(manager, advocate.id, target);
      if (ongoing) {
        // Asked again while waiting for confirmation (the email lost, say): another one is sent.
        if (ongoing.status === 'pending') await this.sendConfirmation(manager, ongoing, caseId);
        return;
      }
      const subscription = await this.subscriptions.insert(manager, context, {
        advocateId: advocate.id,
        ...target,
        leadTimes: [...DEFAULT_LEAD_TIMES],
        channels: ['email'],
        announce: [...ANNOUNCEMENTS],
        status: 'pending',
        publicOnly: true,
      });
      // Kept until confirmed, as the entity says; the token itself is derived (signed), never stored.
      await manager.update(
        SubscriptionEntity,
        { id: subscription.id },
        { confirmTokenHash: secretHash(this.links.token('confirm', subscription.id)) },
      );
      await this.sendConfirmation(manager, subscription, caseId);
    });
    return FOLLOW_ACCEPTED;
  }

  /**
   * Plans the email asking to confirm a follow request. Asking again sends another, but not
   * within `CONFIRMATION_INTERVAL_MINUTES` of the last nor more than `MAX_CONFIRMATIONS` in all,
   * so that nobody can flood an address with requests in someone else's name.
   */
  private async sendConfirmation(
    manager: EntityManager,
    subscription: Pick<SubscriptionEntity, 'id' | 'advocateId'>,
    caseId: string,
  ): Promise<void> {
    const [sent] = await manager.query<Array<{ n: number; recent: boolean }>>(
      `SELECT count(*)::int AS n,
              coalesce(bool_or(created_at > now() - make_interval(mins => $2)), false) AS recent
         FROM reminders WHERE subscription_id = $1 AND kind = 'confirmation'`,
      [subscription.id, CONFIRMATION_INTERVAL_MINUTES],
    );
    if (sent!.recent || sent!.n >= MAX_CONFIRMATIONS) return;
    const key = sent!.n === 0 ? `confirmation/${subscription.id}` : `confirmation/${subscription.id}/${sent!.n + 1}`;
    const ids = await manager.query<Array<{ id: string }>>(
      `INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, channel, case_id, due_at, status)
       VALUES ($1, $2, $3, 'confirmation', 'email', $4, now(), 'scheduled')
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [key, subscription.id, subscription.advocateId, caseId],
    );
    const reminderIds = ids.map((r) => r.id);
    if (reminderIds.length > 0) this.afterCommit.later(manager, reminderIds);
  }

  /**
   * Confirms a follow request by the token of its email link: the subscription becomes active
   * and its reminders are planned. Confirming again changes nothing; a request that was ended
   * (unsubscribed) cannot be confirmed any more.
   */
  async confirm(token: unknown): Promise<PublicOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.subscriptionOf(manager, 'confirm', token, { lock: true });
      await this.assertConfirmable(manager, subscription);
      // The signature is the proof (a token signed with any configured key, so that a key rotation
      // between the request and the email does not break the link); the stored hash is not needed.
      await this.subscriptions.activate(manager, subscription, systemWrite('public-confirm'));
      return this.outcome(manager, subscription);
    });
  }

  /**
   * The follow request a confirmation link names, for the page with the button that confirms it
   * (nothing changes: mail scanners open links, and only the person's click may confirm).
   */
  async confirmPage(token: unknown): Promise<PublicOutcome & { active: boolean }> {
    const manager = this.dataSource.manager;
    const subscription = await this.subscriptionOf(manager, 'confirm', token);
    await this.assertConfirmable(manager, subscription);
    return { ...(await this.outcome(manager, subscription)), active: subscription.status === 'active' };
  }

  /** The subscription an unsubscribe link names, for the page that asks to confirm (nothing changes). */
  async unsubscribePage(token: unknown): Promise<PublicOutcome & { cancelled: boolean }> {
    const manager = this.dataSource.manager;
    const subscription = await this.subscriptionOf(manager, 'unsubscribe', token);
    return { ...(await this.outcome(manager, subscription)), cancelled: subscription.status === 'cancelled' };
  }

  /** Ends the subscription an unsubscribe link names, and cancels its scheduled reminders. Idempotent. */
  async unsubscribe(token: unknown): Promise<PublicOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.subscriptionOf(manager, 'unsubscribe', token, { lock: true });
      await this.subscriptions.end(manager, subscription, systemWrite('public-unsubscribe'));
      return this.outcome(manager, subscription);
    });
  }

  /**
   * A follow request can be confirmed while it has not ended and, if it still waits, while its
   * case is public and live: a case made internal since must not start alerts to the public.
   */
  private async assertConfirmable(manager: EntityManager, subscription: SubscriptionEntity): Promise<void> {
    if (subscription.status === 'cancelled') throw InvalidInputError.field('token', 'this follow request has ended');
    if (subscription.status === 'active') return;
    const open = subscription.caseId && (await this.outcome(manager, subscription)).caseId;
    if (!open) throw InvalidInputError.field('token', 'this case can no longer be followed');
  }

  private async publicCase(manager: EntityManager, caseId: string): Promise<{ title: string }> {
    const [found] = await manager.query<Array<{ title: string }>>(
      `SELECT title FROM cases WHERE id = $1 AND archived_at IS NULL AND visibility = 'public'`,
      [caseId],
    );
    if (!found) throw new NotFoundError('Case', caseId);
    return found;
  }

  /** The subscription a signed link token names, or a 400 naming `token`. */
  private async subscriptionOf(
    manager: EntityManager,
    purpose: LinkClaim['purpose'],
    token: unknown,
    options: { lock?: boolean } = {},
  ): Promise<SubscriptionEntity> {
    const id = typeof token === 'string' && token.length <= 500 ? this.links.verify(purpose, token) : null;
    const invalid = InvalidInputError.field(
      'token',
      `is not a valid ${purpose === 'confirm' ? 'confirmation' : 'unsubscribe'} link`,
    );
    if (!id) throw invalid;
    const qb = manager.createQueryBuilder(SubscriptionEntity, 's').where('s.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    if (!found) throw invalid;
    return found;
  }

  private async outcome(manager: EntityManager, subscription: SubscriptionEntity): Promise<PublicOutcome> {
    if (!subscription.caseId) return { caseTitle: null, caseId: null };
    const [found] = await manager.query<Array<{ title: string }>>(
      `SELECT title FROM cases WHERE id = $1 AND archived_at IS NULL AND visibility = 'public'`,
      [subscription.caseId],
    );
    return { caseTitle: found?.title ?? null, caseId: found ? subscription.caseId : null };
  }
}
