import { DateTime } from 'luxon';

export const HEARING_KINDS = ['preliminary', 'trial', 'verdict', 'appeal', 'other'] as const;
export type HearingKind = (typeof HEARING_KINDS)[number];

export const HEARING_STATUSES = ['scheduled', 'held', 'postponed', 'cancelled'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

/** ISO 8601 with an explicit offset or `Z`: an instant. */
const WITH_OFFSET = /(Z|[+-](\d{2}):?(\d{2}))$/i;

/** What a `startsAt` that is not a date-time is told (by the DTO and by the parser alike). */
export const START_FORMAT_PROBLEM =
  'must be an ISO 8601 date-time such as 2024-03-15T10:00 or 2024-03-15T10:00:00+05:00';

type HearingStart = { instant: Date } | { problem: string };

/**
 * Reads a hearing's start. With an offset (`2024-03-15T10:00:00+05:00`, `...Z`) it is an instant;
 * without one (`2024-03-15T10:00`) it is wall-clock time in the court's zone, converted with the
 * IANA rules in force on that date (Asia/Almaty was UTC+6 until 1 March 2024, UTC+5 after).
 * A wall-clock time that does not exist (skipped by a clock change) or happens twice (when clocks
 * go back, as in Almaty between 23:00 and 24:00 on 29 February 2024) is refused: only an explicit
 * offset can say which instant is meant.
 */
function readHearingStart(value: string, timeZone: string): HearingStart {
  const invalid = { problem: START_FORMAT_PROBLEM };
  const offset = WITH_OFFSET.exec(value);
  const parsed = offset ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value, { zone: timeZone });
  if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return invalid;
  if (offset) {
    // Luxon takes any two digit pairs as an offset (`+99:99`); RFC 3339 allows hours 00-23, minutes 00-59.
    if (offset[2] !== undefined && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return invalid;
    return { instant: parsed.toJSDate() };
  }
  // Luxon shifts non-existent local times (DST gaps) forward; refuse them instead.
  if (!value.startsWith(parsed.toFormat("yyyy-MM-dd'T'HH:mm"))) {
    return { problem: `names a local time that does not exist in ${timeZone} (the clocks skipped it)` };
  }
  const offsets = parsed.getPossibleOffsets().map((d) => d.toFormat('ZZ'));
  if (offsets.length > 1) {
    return {
      problem: `names a local time that happens twice in ${timeZone} (at ${offsets.join(' and ')}); add the offset`,
    };
  }
  return { instant: parsed.toJSDate() };
}

/** The instant a hearing's `startsAt` means, or null when it has none (see `hearingStartProblem`). */
export function parseHearingStart(value: string, timeZone: string): Date | null {
  const start = readHearingStart(value, timeZone);
  return 'instant' in start ? start.instant : null;
}

/** Why `startsAt` names no single instant in the court's zone, or null when it does. */
export function hearingStartProblem(value: string, timeZone: string): string | null {
  const start = readHearingStart(value, timeZone);
  return 'problem' in start ? start.problem : null;
}
