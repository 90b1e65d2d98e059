import { DateTime, IANAZone } from 'luxon';

/** Answers remembered (luxon builds an `Intl.DateTimeFormat` per check); bounded, since names come from input. */
const known = new Map<string, boolean>();
const MAX_REMEMBERED = 1000;

/**
 * True for a canonical or linked IANA time zone name such as `Asia/Almaty`. Offsets like `+06:00`
 * are refused, and so are the fixed-offset `Etc/` zones, whose signs are inverted (`Etc/GMT+5` is
 * UTC-5: a clerk meaning Kazakhstan's UTC+5 would be ten hours off) and which follow no court's
 * clock changes.
 */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const remembered = known.get(value);
  if (remembered !== undefined) return remembered;
  const valid = value.includes('/') && !/^etc\//i.test(value) && IANAZone.isValidZone(value);
  if (known.size < MAX_REMEMBERED) known.set(value, valid);
  return valid;
}

/**
 * A time zone name as the time zone database spells it when `value` differs from it in case only
 * (`asia/almaty` -> `Asia/Almaty`); anything else as it is (validation judges it).
 */
export function canonicalTimeZoneCase(value: unknown): unknown {
  if (typeof value !== 'string' || !isIanaTimeZone(value)) return value;
  try {
    const spelled = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    return spelled.toLowerCase() === value.toLowerCase() ? spelled : value;
  } catch {
    return value;
  }
}

/**
 * The instant as wall-clock time in `timeZone`, with its offset: `2024-03-15T10:00:00+05:00` (as
 * Luxon's `toISO({ suppressMilliseconds: true })`, faster).
 */
export function localIsoTime(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  const offset = zoneOffsetMinutes(timeZone, ms);
  if (offset === null) {
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
 * Zone offsets: asking ICU (what Luxon does for every conversion) costs about 10 µs, which a list
 * of hearings pays for each row and a reminder for each time it shows. The offset of a zone is
 * kept per UTC hour (`ZoneHourCache`). Zones Luxon reads differently from ICU (`UTC`, fixed
 * offsets: names without `/`), years before 1900 (local mean time, offsets in seconds) or after
 * 9999 go through Luxon.
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const FAST_FROM = Date.UTC(1900, 0, 1);
const FAST_UNTIL = Date.UTC(9999, 11, 31);
const FAST_YEARS = (ms: number) => ms >= FAST_FROM && ms < FAST_UNTIL;
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * What ICU says of a zone at an instant that changes only at the zone's transitions (its offset,
 * its abbreviation), kept per key (a zone, or a locale and zone) and UTC hour. A value is taken at
 * the hour's first and last millisecond and kept only when both agree: no transition within the
 * hour, as clocks never change twice in one hour. Otherwise it is computed for the instant asked.
 * At most `maxHours` hours are kept; when full, the cache starts over.
 */
export class ZoneHourCache<T> {
  private readonly hours = new Map<string, Map<number, T>>();
  private size = 0;

  constructor(
    private readonly compute: (key: string, ms: number) => T,
    private readonly maxHours = 100_000,
  ) {}

  get(key: string, ms: number): T {
    const hour = Math.floor(ms / HOUR_MS);
    let hours = this.hours.get(key);
    if (hours?.has(hour)) return hours.get(hour)!;
    const start = this.compute(key, hour * HOUR_MS);
    if (this.compute(key, (hour + 1) * HOUR_MS - 1) !== start) return this.compute(key, ms);
    if (this.size >= this.maxHours) {
      this.hours.clear();
      this.size = 0;
      hours = undefined;
    }
    if (!hours) this.hours.set(key, (hours = new Map()));
    hours.set(hour, start);
    this.size += 1;
    return start;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
const offsets = new ZoneHourCache(icuOffset);

/**
 * The offset from UTC in whole minutes of IANA zone `timeZone` at `ms`, from the cache of its
 * hour; null where Luxon should be asked instead (unknown zone, a name without `/`, a year
 * outside 1900-9999, an offset with seconds).
 */
export function zoneOffsetMinutes(timeZone: string, ms: number): number | null {
  if (!FAST_YEARS(ms) || !timeZone.includes('/')) return null;
  const offset = offsets.get(timeZone, ms);
  return offset !== null && Number.isInteger(offset) ? offset : null;
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
