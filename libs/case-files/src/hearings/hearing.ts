import { DateTime } from 'luxon';

export const HEARING_KINDS = ['preliminary', 'trial', 'verdict', 'appeal', 'other'] as const;
export type HearingKind = (typeof HEARING_KINDS)[number];

export const HEARING_STATUSES = ['scheduled', 'held', 'postponed', 'cancelled'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

/** ISO 8601 with an explicit offset or `Z`: an instant. */
const WITH_OFFSET = /(Z|[+-](\d{2}):?(\d{2}))$/i;

/**
 * Reads a hearing's start. With an offset (`2024-03-15T10:00:00+05:00`, `...Z`) it is an instant;
 * without one (`2024-03-15T10:00`) it is wall-clock time in the court's zone, converted with the
 * IANA rules in force on that date (Asia/Almaty was UTC+6 until 1 March 2024, UTC+5 after).
 * Returns null when the text is not a date-time or names a wall-clock time that does not exist.
 */
export function parseHearingStart(value: string, timeZone: string): Date | null {
  const parsed = WITH_OFFSET.test(value)
    ? DateTime.fromISO(value, { setZone: true })
    : DateTime.fromISO(value, { zone: timeZone });
  if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const offset = WITH_OFFSET.exec(value);
  // Luxon takes any two digit pairs as an offset (`+99:99`); RFC 3339 allows hours 00-23, minutes 00-59.
  if (offset?.[2] !== undefined && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return null;
  if (!offset) {
    // Luxon shifts non-existent local times (DST gaps) forward; refuse them instead.
    const roundTrip = parsed.toFormat("yyyy-MM-dd'T'HH:mm");
    if (!value.startsWith(roundTrip)) return null;
  }
  return parsed.toJSDate();
}

/** The instant as wall-clock time in the court's zone, with its offset: `2024-03-15T10:00:00+05:00`. */
export function toCourtLocalTime(instant: Date, timeZone: string): string {
  return (
    DateTime.fromJSDate(instant, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? instant.toISOString()
  );
}
