import { DateTime } from 'luxon';

/** Offsets are looked at once a day; transitions are then found to the second. */
const DAY_MS = 24 * 3600 * 1000;

const offsetMinutes = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).offset;

/** `+0500`, `-0330`, `+000512` (local mean time offsets have seconds). */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const total = Math.round(Math.abs(minutes) * 60);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(h)}${pad(m)}${s ? pad(s) : ''}`;
}

/** Wall-clock time at `ms` in a fixed offset, as an iCalendar local DATE-TIME (`20240301T000000`). */
function localTime(ms: number, offset: number): string {
  return DateTime.fromMillis(ms, { zone: 'UTC' }).plus({ minutes: offset }).toFormat("yyyyMMdd'T'HHmmss");
}

/** The first instant in (`from`, `to`] at which the zone's offset is no longer `offset`. */
function transitionBetween(zone: string, from: number, to: number, offset: number): number {
  let low = from;
  let high = to;
  while (high - low > 1000) {
    const middle = low + Math.max(1000, Math.floor((high - low) / 2000) * 1000);
    if (offsetMinutes(zone, middle) === offset) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * Summer time: an offset ahead of some offset in the nine months before and of some in the nine
 * months after, i.e. a temporary one. (Luxon's `isInDST` would call the UTC+6 that Almaty left for
 * good in 2024 summer time.)
 */
function isDaylight(zone: string, at: DateTime): boolean {
  const months = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const behind = (d: DateTime) => d.setZone(zone).offset < at.offset;
  return months.some((m) => behind(at.minus({ months: m }))) && months.some((m) => behind(at.plus({ months: m })));
}

interface Observance {
  /** Start, as an instant. */
  at: number;
  from: number;
  to: number;
  daylight: boolean;
  name: string;
}

/**
 * An RFC 5545 VTIMEZONE for an IANA zone, from the runtime's time zone database (the same rules
 * that convert hearing times), covering the years of `instants` (in that zone): one observance per
 * offset change in those years, each with its exact start, so that clients read the local times in
 * a feed exactly as the court meant them, including after changes such as Kazakhstan's move from
 * UTC+6 to UTC+5 on 1 March 2024. (Packaged VTIMEZONE files age: their rules are those of the year
 * they were made.) Only the years of the hearings are looked at, not the whole span between the
 * first and the last: a hearing typed in year 24 or 9999 must not make a feed take seconds.
 */
export function vtimezone(zone: string, instants: Date[]): string {
  const years = [...new Set(instants.map((i) => DateTime.fromJSDate(i, { zone }).year))].sort((a, b) => a - b);
  const key = `${zone} ${years.join(',')}`;
  let made = cache.get(key);
  if (made === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    made = build(zone, years);
    cache.set(key, made);
  }
  return made;
}

/** Made VTIMEZONEs by zone and years: feeds ask for the same few again and again. */
const cache = new Map<string, string>();
const MAX_CACHED = 1000;

/** Runs of consecutive years, as [first, last]. */
function yearRuns(years: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const year of years) {
    const last = runs.at(-1);
    if (last && year === last[1] + 1) last[1] = year;
    else runs.push([year, year]);
  }
  return runs;
}

function build(zone: string, years: number[]): string {
  const describe = (ms: number, previous: number): Observance => {
    const at = DateTime.fromMillis(ms, { zone });
    return { at: ms, from: previous, to: at.offset, daylight: isDaylight(zone, at), name: at.toFormat('ZZZZ') };
  };
  const yearStart = (year: number) => DateTime.fromObject({ year }, { zone }).startOf('year').toMillis();
  const observances: Observance[] = [];
  let offset: number | null = null;
  for (const [first, last] of yearRuns(years)) {
    const start = yearStart(first);
    const end = yearStart(last + 1);
    // Each run of years opens with the offset in force, unless it is the one in force already.
    if (offsetMinutes(zone, start) !== offset) observances.push(describe(start, offsetMinutes(zone, start)));
    offset = observances.at(-1)!.to;
    for (let day = start; day < end; day += DAY_MS) {
      const next = Math.min(day + DAY_MS, end);
      if (offsetMinutes(zone, next) === offset) continue;
      const at = transitionBetween(zone, day, next, offset);
      observances.push(describe(at, offset));
      offset = observances.at(-1)!.to;
      // Another change the same day is found from the one just found.
      day = at - DAY_MS;
    }
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, `X-LIC-LOCATION:${zone}`];
  for (const o of observances) {
    const kind = o.daylight ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localTime(o.at, o.from)}`,
      `TZOFFSETFROM:${formatOffset(o.from)}`,
      `TZOFFSETTO:${formatOffset(o.to)}`,
      `TZNAME:${o.name}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n') + '\r\n';
}
