import { AppConfig } from '#config';
import { preparedQuery } from '#database';
import { Keyring } from '#encryption';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly keyring: Keyring,
    private readonly source: MessageSource,
    private readonly email: EmailSender,
    private readonly webhook: WebhookSender,
  ) {}

  async deliver(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const reminder = await this.claim(attempt);
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
      await this.send(reminder, prepared);
    } catch (error) {
      await this.failed(reminder, attempt, error);
      throw error;
    }
    await preparedQuery(
      this.dataSource,
      'delivery-mark-sent',
      `UPDATE reminders SET status = 'sent', sent_at = now(), last_error = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [reminder.id],
    );
    this.logger.debug(`reminder ${reminder.id} sent by ${reminder.channel}`);
    return 'sent';
  }

  private async claim(attempt: DeliveryAttempt): Promise<Claimed | null> {
    const rows = await preparedQuery<Claimed>(
      this.dataSource,
      'delivery-claim',
      `UPDATE reminders
          SET status = 'sending', claimed_at = now(), attempts = attempts + 1, updated_at = now()
        WHERE id = $1
          AND date_trunc('milliseconds', due_at) = $2::timestamptz
          AND (status = 'scheduled'
               OR (status = 'sending' AND (claimed_at < now() - make_interval(secs => $3) OR $4::boolean)))
        RETURNING id, kind, notice, lead_time, channel, subscription_id, advocate_id, hearing_id, case_id,
                  person_id, custody_event_id, due_at, attempts,
                  now() - due_at > make_interval(mins => $5) AS overdue`,
      [
        attempt.reminderId,
        attempt.dueAt,
        CLAIM_STALE_AFTER_SECONDS,
        attempt.resumed,
        this.config.env.REMINDER_GRACE_MINUTES,
      ],
    );
    return rows[0] ?? null;
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
    let secret: string;
    try {
      secret = this.keyring.decrypt(recipient.webhookSecret, 'advocate.webhookSecret');
    } catch {
      throw new DeliveryError('webhook: the webhook secret cannot be decrypted with the configured keys', true);
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
