import { Injectable } from '@nestjs/common';
import { DeliveryError } from './delivery-error.js';
import { webhookSignature } from './webhook-signature.js';

export interface OutgoingWebhook {
  reminderId: string;
  url: string;
  /** The advocate's webhook secret, decrypted. */
  secret: string;
  payload: Record<string, unknown>;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs a signed JSON document to an advocate's webhook. A 2xx answer within ten seconds is
 * success; anything else (another status, a redirect, a timeout, no connection) is a failure
 * to be retried. `Idempotency-Key` is the reminder id, the same on every attempt.
 */
@Injectable()
export class WebhookSender {
  async send(call: OutgoingWebhook): Promise<void> {
    const body = JSON.stringify(call.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await fetch(call.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'case-tracker-webhooks/1',
          'idempotency-key': call.reminderId,
          'x-casetracker-timestamp': String(timestamp),
          'x-casetracker-signature': webhookSignature(call.secret, timestamp, body),
        },
        body,
        // A redirect is an answer other than 2xx: it is not followed (the signature is for this URL).
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw new DeliveryError(`webhook: no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`);
      }
      throw new DeliveryError(`webhook: ${e.cause?.code ?? e.name ?? 'request failed'}`);
    }
    // The answer's body is not read (nor kept): only its status counts.
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status > 299) {
      throw new DeliveryError(`webhook: HTTP ${response.status}`);
    }
  }
}
