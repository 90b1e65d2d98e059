import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. Each call carries
 *
 *     X-CaseTracker-Timestamp: <unix seconds>
 *     X-CaseTracker-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A receiver recomputes the HMAC over the raw body bytes, compares it in constant time, and
 * refuses a timestamp more than five minutes away from its own clock (replays), then uses
 * `Idempotency-Key` (the reminder id) to ignore a delivery it has already processed.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** Whether a received call is authentic and fresh (what a receiver does, as a reference). */
export function verifyWebhookSignature(
  secret: string,
  received: { timestamp: string | undefined; signature: string | undefined; body: string },
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): boolean {
  const timestamp = Number(received.timestamp);
  if (!received.timestamp || !/^\d+$/.test(received.timestamp) || !received.signature) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, received.body));
  const given = Buffer.from(received.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
