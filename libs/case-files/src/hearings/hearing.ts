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

/** The instant as wall-clock time in the court's zone, with its offset: `2024-03-15T10:00:00+05:00`. */
export function toCourtLocalTime(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  const offset = FAST_YEARS(ms) && timeZone.includes('/') ? zoneOffset(timeZone, ms) : null;
  if (offset === null || !Number.isInteger(offset)) {
    return (
      DateTime.fromJSDate(instant, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ?? instant.toISOString()
    );
  }
  // The wall clock is the instant shifted by the offset, read as UTC.
  const local = new Date(ms + offset * MINUTE_MS).toISOString(); // 2024-03-15T10:00:00.000Z
  const wall = local.endsWith('.000Z') ? local.slice(0, -5) : local.slice(0, -1);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/*
 * Zone offsets for `toCourtLocalTime`: asking ICU (what Luxon does for every conversion) costs
 * about 10 µs, which a list of hearings pays for each row. The offset of a zone is kept per UTC
 * hour: it is taken from the hour's first and last millisecond, and kept only when both agree
 * (no clock change within the hour; clocks never change twice in one hour). Other hours, and
 * zones Luxon reads differently from ICU (`UTC`, fixed offsets: names without `/`), years
 * before 1900 (local mean time, offsets in seconds) or after 9999, go through Luxon as before.
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const FAST_FROM = Date.UTC(1900, 0, 1);
const FAST_UNTIL = Date.UTC(9999, 11, 31);
const FAST_YEARS = (ms: number) => ms >= FAST_FROM && ms < FAST_UNTIL;
const MAX_CACHED_HOURS = 100_000;
const pad2 = (n: number) => String(n).padStart(2, '0');

const formats = new Map<string, Intl.DateTimeFormat>();
/** Per zone: UTC hour (ms since the epoch / HOUR_MS) → offset in minutes. */
const hourOffsets = new Map<string, Map<number, number>>();
let cachedHours = 0;

/** The zone's offset from UTC in minutes at `ms` (via the hour's cache), or null for an unknown zone. */
function zoneOffset(timeZone: string, ms: number): number | null {
  const hour = Math.floor(ms / HOUR_MS);
  let hours = hourOffsets.get(timeZone);
  const cached = hours?.get(hour);
  if (cached !== undefined) return cached;
  const start = icuOffset(timeZone, hour * HOUR_MS);
  if (start === null) return null;
  if (icuOffset(timeZone, (hour + 1) * HOUR_MS - 1) !== start) return icuOffset(timeZone, ms);
  if (cachedHours >= MAX_CACHED_HOURS) {
    hourOffsets.clear();
    cachedHours = 0;
    hours = undefined;
  }
  if (!hours) hourOffsets.set(timeZone, (hours = new Map()));
  hours.set(hour, start);
  cachedHours += 1;
  return start;
}

/** The offset in minutes (fractional for offsets with seconds) that ICU gives `timeZone` at `ms`. */
function icuOffset(timeZone: string, ms: number): number | null {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      return null;
    }
    formats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(ms)) parts[type] = value;
  if (parts.era !== 'AD') return null;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return (wall - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE_MS;
}
