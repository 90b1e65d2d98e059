import { Duration } from 'luxon';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The changes a subscription can announce, besides the reminders before each hearing. */
export const ANNOUNCEMENTS = [
  'hearing-scheduled',
  'hearing-changed',
  'hearing-cancelled',
  'custody-changed',
  'verdict',
] as const;
export type Announcement = (typeof ANNOUNCEMENTS)[number];

export const SUBSCRIPTION_TARGETS = ['case', 'person', 'event'] as const;
export type SubscriptionTarget = (typeof SUBSCRIPTION_TARGETS)[number];

/** `pending` until a self-service follower confirms by the link in their email. */
export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * `scheduled` waits for its time; `sending` is claimed by a worker; `sent`; `cancelled` (the
 * hearing moved away from it, was cancelled, or the subscription ended); `failed` after the last
 * attempt; `skipped` when its time had passed before it could be sent.
 */
export const REMINDER_STATUSES = ['scheduled', 'sending', 'sent', 'cancelled', 'failed', 'skipped'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** A reminder before a hearing, a notice of a change, or the double opt-in email of a follower. */
export const REMINDER_KINDS = ['reminder', 'notice', 'confirmation'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const DEFAULT_LEAD_TIMES = ['P7D', 'P1D', 'PT2H'];

/** At most a year ahead; at least a second. */
const MAX_LEAD_SECONDS = 366 * 24 * 3600;

/**
 * Seconds in an ISO 8601 duration such as `P7D`, `PT2H` or `PT30S`, or null when it is not one,
 * is not positive, or uses months or years (whose length depends on the date).
 */
export function leadTimeSeconds(value: string): number | null {
  if (typeof value !== 'string' || !/^P/.test(value)) return null;
  const duration = Duration.fromISO(value);
  if (!duration.isValid || duration.years || duration.months) return null;
  const seconds = duration.as('seconds');
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_LEAD_SECONDS) return null;
  return seconds;
}
