import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

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
  // Hours 00-23 and minutes 00-59 (Luxon reads `T24:00` as midnight of the next day).
  if (!/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d/.test(value)) return invalid;
  const offset = WITH_OFFSET.exec(value);
  const parsed = offset ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value, { zone: timeZone });
  if (!parsed.isValid) return invalid;
  if (offset) {
    // Luxon takes any two digit pairs as an offset (`+99:99`); RFC 3339 allows hours 00-23, minutes 00-59.
    if (offset[2] !== undefined && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) return invalid;
    const instant = withinYears(parsed.toJSDate());
    return ('instant' in instant && offsetProblem(parsed.offset, instant.instant, timeZone)) || instant;
  }
  const instants = wallClockInstants(value, timeZone);
  if (instants.length === 0) {
    return { problem: `names a local time that does not exist in ${timeZone} (the clocks skipped it)` };
  }
  if (instants.length > 1) {
    const offsets = instants.map((i) => DateTime.fromMillis(i, { zone: timeZone }).toFormat('ZZ'));
    return {
      problem: `names a local time that happens twice in ${timeZone} (at ${offsets.join(' and ')}); add the offset`,
    };
  }
  return withinYears(new Date(instants[0]!));
}

/**
 * An offset other than UTC's must be the court's own at that moment. One that is not is nearly
 * always a mistake that would move the hearing by an hour or more: the offset of before a change
 * of the zone's rules (Almaty's `+06:00` after 1 March 2024), or of another zone. UTC (`Z`,
 * `+00:00`) names the instant whatever the court's zone.
 */
function offsetProblem(given: number, instant: Date, timeZone: string): HearingStart | null {
  if (given === 0) return null;
  const actual = IANAZone.create(timeZone).offset(instant.getTime());
  // An unknown zone is the time zone field's own problem; offsets of local mean time have seconds.
  if (Number.isNaN(actual) || Math.abs(actual - given) < 1) return null;
  const format = (minutes: number) =>
    DateTime.fromMillis(0, { zone: FixedOffsetZone.instance(minutes) }).toFormat('ZZ');
  return {
    problem:
      `has the offset ${format(given)}, but ${timeZone} is at ${format(Math.round(actual))} at that moment: ` +
      `send the court's local time without an offset, or the instant in UTC with Z`,
  };
}

/**
 * Every instant at which the clocks of `timeZone` show the wall-clock time `value` (ISO 8601
 * without offset): none in a gap, two in a repeated hour. Each offset the zone has within a day
 * and a half of that time is tried, and kept when the zone has it at the instant it gives. (Not
 * Luxon's conversion, which starts from the zone's offset of today and so refuses some real times
 * in years whose offsets differ twice from today's, such as Almaty before 2005.)
 */
function wallClockInstants(value: string, timeZone: string): number[] {
  const zone = IANAZone.create(timeZone);
  const wall = DateTime.fromISO(value, { zone: 'UTC' }).toMillis(); // the wall clock read as UTC
  const MINUTE = 60_000;
  const around = [-36, -12, 0, 12, 36].map((hours) => zone.offset(wall + hours * 60 * MINUTE));
  const instants = new Set<number>();
  for (const offset of new Set(around)) {
    const instant = wall - offset * MINUTE;
    if (zone.offset(instant) === offset) instants.add(instant);
  }
  return [...instants].sort((a, b) => a - b);
}

/** What a start whose instant falls outside the years 1 to 9999 (in UTC) is told. */
export const START_RANGE_PROBLEM = 'must name an instant within the years 1 to 9999 (in UTC)';

/**
 * The instant, unless it falls outside the years 1 to 9999 in UTC, which an offset or a zone can
 * push a date at either end into (`9999-12-31T23:59-23:59`): ISO 8601 and JSON dates have no
 * other years, and PostgreSQL would store year 0 as 1 BC.
 */
function withinYears(instant: Date): HearingStart {
  const year = instant.getUTCFullYear();
  return year >= 1 && year <= 9999 ? { instant } : { problem: START_RANGE_PROBLEM };
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
