import { AppConfig } from '#config';
import { preparedQuery, StatementBatcher } from '#database';
import { Keyring } from '#encryption';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { messageKey } from '../reminder-planner.js';
import { DeliveryError, describeDeliveryError } from './delivery-error.js';
import { EmailSender } from './email.sender.js';
import { type ClaimedReminder, MessageSource, type Prepared } from './message-source.js';
import { renderMessage, webhookPayload } from './messages.js';
import { WebhookSender } from './webhook.sender.js';

/**
 * How long a claim (`sending`) belongs to the worker that made it. A worker killed in the middle
 * of a send leaves its claim behind; after this long the reconciler may hand the reminder to
 * another worker. It is far longer than any send can take (SMTP and webhook calls time out
 * within a minute), so a live worker never loses its claim.
 */
export const CLAIM_STALE_AFTER_SECONDS = 120;

/** How many decrypted webhook secrets are kept at most (then the cache starts over). */
const MAX_KEPT_SECRETS = 10_000;

/** One attempt at a delivery job, as the queue hands it over. */
export interface DeliveryAttempt {
  reminderId: string;
  /** The due time the job was scheduled for (ISO 8601). */
  dueAt: string;
  /** The queue will not try again after this attempt. */
  lastAttempt: boolean;
  /**
   * The queue took this job back from a worker that stopped renewing its lock (killed, or
   * frozen): a `sending` claim on the same reminder and due time is that worker's, and may be
   * taken over at once rather than after `CLAIM_STALE_AFTER_SECONDS`.
   */
  resumed: boolean;
}

/** How an attempt ended, when it did not throw. */
export type DeliveryOutcome = 'sent' | 'skipped' | 'cancelled' | 'not-claimed';

/** The columns of a claimed reminder (`ClaimedReminder`). */
const CLAIMED = [
  'id',
  'dedupe_key',
  'kind',
  'notice',
  'lead_time',
  'channel',
  'subscription_id',
  'advocate_id',
  'hearing_id',
  'case_id',
  'person_id',
  'custody_event_id',
  'due_at',
  'hearing_starts_at',
  'attempts',
];

/** What a statement does with rows another transaction holds: passes them by, or waits for them. */
type LockedRows = 'skip-locked' | 'wait';
const LOCKING: Record<LockedRows, string> = { 'skip-locked': 'FOR UPDATE SKIP LOCKED', wait: 'FOR UPDATE' };

/**
 * Claims reminders (`scheduled` -> `sending`) for given due times: `$1` ids, `$2` due times, `$3`
 * whether each job was taken over from a stalled worker; `$4` CLAIM_STALE_AFTER_SECONDS, `$5`
 * REMINDER_GRACE_MINUTES. Answers one row per claimed reminder, with its place `i` (from 1).
 */
const claimSql = (locking: string) => `
  WITH q AS (
    SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::boolean[]) WITH ORDINALITY AS q(id, due_at, resumed, i)
  ), free AS (
    SELECT id FROM reminders WHERE id IN (SELECT id FROM q) ${locking}
  )
  UPDATE reminders r
     SET status = 'sending', claimed_at = now(), attempts = r.attempts + 1, updated_at = now()
    FROM q
   WHERE r.id = q.id
     AND r.id IN (SELECT id FROM free)
     AND date_trunc('milliseconds', r.due_at) = q.due_at
     AND (r.status = 'scheduled'
          OR (r.status = 'sending' AND (r.claimed_at < now() - make_interval(secs => $4) OR q.resumed)))
  RETURNING q.i, ${CLAIMED.map((c) => `r.${c}`).join(', ')}, now() - r.due_at > make_interval(mins => $5) AS overdue`;

/**
 * Claims messages for reminders about to be sent: `$1` message keys (distinct), `$2` reminder
 * ids. Answers, for each key, the reminder that owns the message: the one given, or the one that
 * claimed it before (which a reminder cancelled or skipped since gives up).
 */
const CLAIM_MESSAGES_SQL = `
  INSERT INTO delivered_messages (message_key, reminder_id)
  SELECT * FROM unnest($1::text[], $2::uuid[])
  ON CONFLICT (message_key) DO UPDATE
     SET reminder_id = CASE
           WHEN (SELECT r.status FROM reminders r WHERE r.id = delivered_messages.reminder_id) IN ('cancelled', 'skipped')
           THEN EXCLUDED.reminder_id ELSE delivered_messages.reminder_id END
  RETURNING message_key, reminder_id`;

/** Marks claimed reminders (`$1`) sent; answers the ids marked. */
const markSentSql = (locking: string) => `
  UPDATE reminders SET status = 'sent', sent_at = now(), last_error = NULL, updated_at = now()
   WHERE id IN (SELECT id FROM reminders WHERE id = ANY($1::uuid[]) AND status = 'sending' ${locking})
     AND status = 'sending'
  RETURNING id`;

const CLAIM: Record<LockedRows, { name: string; text: string }> = {
  'skip-locked': { name: 'delivery-claim-batch', text: claimSql(LOCKING['skip-locked']) },
  wait: { name: 'delivery-claim', text: claimSql(LOCKING.wait) },
};
const MARK_SENT: Record<LockedRows, { name: string; text: string }> = {
  'skip-locked': { name: 'delivery-mark-sent-batch', text: markSentSql(LOCKING['skip-locked']) },
  wait: { name: 'delivery-mark-sent', text: markSentSql(LOCKING.wait) },
};

interface Claimed extends ClaimedReminder {
  overdue: boolean;
}

/**
 * Sends one reminder, notice or confirmation, exactly as PostgreSQL describes it at send time.
 *
 * 1. Claims it atomically (`scheduled` -> `sending`, for this due time only). Nothing to claim
 *    (sent, cancelled, moved to another time, or being sent by a live worker) ends the job quietly.
 * 2. Too late (past `REMINDER_GRACE_MINUTES`): `skipped`, not sent.
 * 3. Renders the message from what PostgreSQL holds now, and sends it; then `sent`.
 * 4. A failure records `lastError`, returns the reminder to `scheduled` and rethrows, so that the
 *    queue retries with backoff; after the last attempt (or a permanent failure) it is `failed`.
 *
 * A resend (after a crash between sending and recording it) carries the same Message-ID and
 * Idempotency-Key, so receivers can recognise it.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  /** Claims and "sent" marks of the jobs in progress, one statement per batch (see `claimBatch`). */
  private readonly claims = new StatementBatcher((attempts: DeliveryAttempt[]) => this.claimBatch(attempts));
  private readonly marks = new StatementBatcher((ids: string[]) => this.markSentBatch(ids));
  private readonly messages = new StatementBatcher((claims: Array<{ key: string; reminderId: string }>) =>
    this.claimMessages(claims),
  );
  /**
   * Decrypted webhook secrets by their stored (encrypted) form, so that a burst of messages to one
   * advocate decrypts once. The keyring that decrypts them is in this process anyway; a new secret
   * or a re-encryption under a new key has another stored form.
   */
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly keyring: Keyring,
    private readonly source: MessageSource,
    private readonly email: EmailSender,
    private readonly webhook: WebhookSender,
  ) {}

  async deliver(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    // What the batch did not claim is tried alone, outside the batch (see `claimBatch`).
    const reminder = (await this.claims.call(attempt)) ?? (await this.claimOne(attempt));
    if (!reminder) return 'not-claimed';
    if (reminder.overdue) {
      await this.close(reminder.id, 'skipped', 'not sent within the grace period (REMINDER_GRACE_MINUTES)');
      return 'skipped';
    }
    try {
      const prepared = await this.source.prepare(reminder);
      if (!prepared.send) {
        await this.close(reminder.id, prepared.status, prepared.reason);
        return prepared.status;
      }
      // Another subscription of the same advocate may have planned the same message (a case and
      // one of its persons both followed): only the reminder that claims it sends it.
      const key = prepared.followsMore ? messageKey(reminder) : null;
      if (key && (await this.messages.call({ key, reminderId: reminder.id })) !== reminder.id) {
        await this.close(reminder.id, 'skipped', 'the same message is sent through another subscription');
        return 'skipped';
      }
      await this.send(reminder, prepared);
    } catch (error) {
      await this.failed(reminder, attempt, error);
      throw error;
    }
    if (!(await this.marks.call(reminder.id))) await this.markSentOne(reminder.id);
    this.logger.debug(`reminder ${reminder.id} sent by ${reminder.channel}`);
    return 'sent';
  }

  /**
   * Claims the reminders of the jobs in hand in one statement. The batch takes only rows nobody
   * holds a lock on (`SKIP LOCKED`), so it never waits while holding locks of its own: no deadlock
   * with another worker's claims or with the API rescheduling reminders. What it did not claim (a
   * locked row, a reminder claimed or moved meanwhile, the same reminder twice in one batch) is
   * null: its job tries again alone (`claimOne`, the same statement for one row, waiting for the
   * lock like any update), while the other jobs go on.
   */
  private claimBatch(attempts: DeliveryAttempt[]): Promise<Array<Claimed | null>> {
    return this.claim(attempts, 'skip-locked');
  }

  private async claimOne(attempt: DeliveryAttempt): Promise<Claimed | null> {
    return (await this.claim([attempt], 'wait'))[0]!;
  }

  private async claim(attempts: DeliveryAttempt[], locked: LockedRows): Promise<Array<Claimed | null>> {
    const first = new Map<string, number>();
    attempts.forEach((a, i) => {
      if (!first.has(a.reminderId)) first.set(a.reminderId, i);
    });
    const batch = [...first.values()].map((i) => attempts[i]!);
    const rows = await preparedQuery<Claimed & { i: string }>(this.dataSource, CLAIM[locked].name, CLAIM[locked].text, [
      batch.map((a) => a.reminderId),
      batch.map((a) => a.dueAt),
      batch.map((a) => a.resumed),
      CLAIM_STALE_AFTER_SECONDS,
      this.config.env.REMINDER_GRACE_MINUTES,
    ]);
    const claimed = new Map(rows.map(({ i, ...row }) => [batch[Number(i) - 1]!, row as Claimed]));
    return attempts.map((a) => claimed.get(a) ?? null);
  }

  /**
   * Claims the messages of a batch in one statement; answers the owning reminder of each. The same
   * message twice in one batch is claimed once, by the first.
   */
  private async claimMessages(claims: Array<{ key: string; reminderId: string }>): Promise<string[]> {
    const first = new Map<string, string>();
    for (const c of claims) if (!first.has(c.key)) first.set(c.key, c.reminderId);
    const rows = await preparedQuery<{ message_key: string; reminder_id: string }>(
      this.dataSource,
      'delivery-claim-messages',
      CLAIM_MESSAGES_SQL,
      [[...first.keys()], [...first.values()]],
    );
    const owner = new Map(rows.map((r) => [r.message_key, r.reminder_id]));
    return claims.map((c) => owner.get(c.key)!);
  }

  /** Marks sent reminders in one statement; like claims, a locked row is left to `markSentOne`. */
  private markSentBatch(ids: string[]): Promise<boolean[]> {
    return this.markSent(ids, 'skip-locked');
  }

  private async markSentOne(id: string): Promise<void> {
    await this.markSent([id], 'wait');
  }

  private async markSent(ids: string[], locked: LockedRows): Promise<boolean[]> {
    const rows = await preparedQuery<{ id: string }>(this.dataSource, MARK_SENT[locked].name, MARK_SENT[locked].text, [
      ids,
    ]);
    const marked = new Set(rows.map((r) => r.id));
    return ids.map((id) => marked.has(id));
  }

  private async send(reminder: Claimed, prepared: Extract<Prepared, { send: true }>): Promise<void> {
    const message = renderMessage(prepared.context);
    const { recipient } = prepared;
    if (reminder.channel === 'email') {
      await this.email.send({
        reminderId: reminder.id,
        to: { name: recipient.name, address: recipient.email },
        subject: message.subject,
        text: message.text,
        unsubscribeUrl: prepared.context.links.unsubscribe,
      });
      return;
    }
    if (!recipient.webhookUrl || !/^https?:\/\//i.test(recipient.webhookUrl)) {
      throw new DeliveryError('webhook: the advocate has no http(s) webhook URL', true);
    }
    if (!recipient.webhookSecret) throw new DeliveryError('webhook: the advocate has no webhook secret', true);
    let secret = this.secrets.get(recipient.webhookSecret);
    if (secret === undefined) {
      try {
        secret = this.keyring.decrypt(recipient.webhookSecret, 'advocate.webhookSecret');
      } catch {
        throw new DeliveryError('webhook: the webhook secret cannot be decrypted with the configured keys', true);
      }
      if (this.secrets.size >= MAX_KEPT_SECRETS) this.secrets.clear();
      this.secrets.set(recipient.webhookSecret, secret);
    }
    await this.webhook.send({
      reminderId: reminder.id,
      url: recipient.webhookUrl,
      secret,
      payload: webhookPayload(prepared.context, message),
    });
  }

  /** Closes a claimed reminder without sending it. */
  private async close(id: string, status: 'skipped' | 'cancelled', reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminders SET status = $2, last_error = $3, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      [id, status, reason],
    );
    this.logger.log(`reminder ${id} ${status}: ${reason}`);
  }

  private async failed(reminder: Claimed, attempt: DeliveryAttempt, error: unknown): Promise<void> {
    const final = attempt.lastAttempt || (error instanceof DeliveryError && error.permanent);
    const lastError = describeDeliveryError(error);
    try {
      await this.dataSource.query(
        `UPDATE reminders SET status = $2, last_error = $3, updated_at = now() WHERE id = $1 AND status = 'sending'`,
        [reminder.id, final ? 'failed' : 'scheduled', lastError],
      );
    } catch (recordError) {
      // The claim stays; the reconciler hands the reminder out again once it is stale.
      this.logger.error(
        `reminder ${reminder.id}: could not record a failed attempt (${describeDeliveryError(recordError)})`,
      );
    }
    this.logger.warn(
      `reminder ${reminder.id}: attempt ${reminder.attempts} by ${reminder.channel} failed (${lastError})` +
        (final ? '; no more attempts, it is failed' : '; it will be retried'),
    );
  }
}
