import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { canonicalTimeZoneCase, isIanaTimeZone, localIsoTime, ZoneHourCache } from './time-zone.js';

describe('isIanaTimeZone', () => {
  it.each(['Asia/Almaty', 'Europe/Amsterdam', 'America/Argentina/Buenos_Aires', 'Asia/Tashkent', 'Europe/Kyiv'])(
    'accepts the IANA zone %s',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );

  it.each([
    '+06:00',
    '-05:00',
    'UTC+6',
    'GMT+5',
    'UTC',
    'Z',
    'Mars/Olympus',
    'Asia/Atlantis',
    'Almaty',
    '',
    ' ',
    '/',
    // Fixed offsets with inverted signs (Etc/GMT+5 is UTC-5).
    'Etc/GMT+5',
    'Etc/GMT-6',
    'etc/utc',
    'Etc/UTC',
  ])('refuses %j', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });

  it.each([null, undefined, 6, 0, true, {}, ['Asia/Almaty'], { zone: 'Asia/Almaty' }])(
    'refuses the non-string %j',
    (value) => {
      expect(isIanaTimeZone(value)).toBe(false);
    },
  );
});

describe('canonicalTimeZoneCase', () => {
  it('spells a zone as the time zone database does when only its case differs', () => {
    expect(canonicalTimeZoneCase('asia/almaty')).toBe('Asia/Almaty');
    expect(canonicalTimeZoneCase('EUROPE/AMSTERDAM')).toBe('Europe/Amsterdam');
    expect(canonicalTimeZoneCase('america/new_york')).toBe('America/New_York');
    // A name the database links to another is left as written when only its case is wrong.
    expect(canonicalTimeZoneCase('america/argentina/buenos_aires')).toBe('america/argentina/buenos_aires');
    expect(canonicalTimeZoneCase('Asia/Almaty')).toBe('Asia/Almaty');
  });

  it('leaves anything else for validation to judge', () => {
    for (const value of ['Mars/Olympus', '+06:00', 'utc', '', 6, null])
      expect(canonicalTimeZoneCase(value)).toBe(value);
  });
});

describe('localIsoTime', () => {
  it('shows Almaty court time with the offset in force on that date', () => {
    expect(localIsoTime(new Date('2024-02-15T04:00:00.000Z'), 'Asia/Almaty')).toBe('2024-02-15T10:00:00+06:00');
    expect(localIsoTime(new Date('2024-03-15T05:00:00.000Z'), 'Asia/Almaty')).toBe('2024-03-15T10:00:00+05:00');
  });

  it('keeps milliseconds when there are any', () => {
    expect(localIsoTime(new Date('2024-07-10T07:30:00.250Z'), 'Europe/Amsterdam')).toBe(
      '2024-07-10T09:30:00.250+02:00',
    );
  });

  it('answers as Luxon does, across zones, clock changes and centuries, from its cache too', () => {
    const luxon = (instant: Date, zone: string) =>
      DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true });
    const zones = [
      'Asia/Almaty',
      'Europe/Amsterdam',
      'America/New_York',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Africa/Casablanca',
      'Etc/UTC',
      'UTC',
    ];
    const instants = [
      // Around Almaty's change (midnight local on 1 March 2024) and Amsterdam's, to the millisecond.
      Date.UTC(2024, 1, 29, 17, 59, 59, 999),
      Date.UTC(2024, 1, 29, 18, 0, 0, 0),
      Date.UTC(2024, 1, 29, 18, 30, 0, 0),
      Date.UTC(2024, 9, 27, 0, 59, 59, 999),
      Date.UTC(2024, 9, 27, 1, 0, 0, 0),
      Date.UTC(2024, 2, 10, 6, 59, 59, 999),
      Date.UTC(2024, 2, 10, 7, 0, 0, 0),
      // Lord Howe moves its clocks by half an hour at 02:00 (+10:30), in the middle of a UTC hour.
      Date.UTC(2024, 9, 5, 15, 0, 0, 0),
      Date.UTC(2024, 9, 5, 15, 29, 59, 999),
      Date.UTC(2024, 9, 5, 15, 30, 0, 0),
      Date.UTC(2024, 9, 5, 15, 45, 0, 0),
      Date.UTC(1900, 0, 1, 0, 0, 0, 0),
      Date.UTC(1899, 11, 31, 23, 0, 0, 0),
      Date.UTC(1922, 5, 1, 12, 0, 0, 0),
      Date.UTC(2099, 11, 31, 23, 59, 59, 500),
    ];
    // And about every three weeks over fifty years, at drifting times of day, with milliseconds now and then.
    for (let ms = Date.UTC(1990, 0, 1); ms < Date.UTC(2040, 0, 1); ms += 1_801_234_567) instants.push(ms);
    for (const zone of zones) {
      for (const ms of instants) {
        const instant = new Date(ms);
        const expected = luxon(instant, zone);
        // Twice: the second from the cache of the hour.
        expect(`${zone} ${localIsoTime(instant, zone)}`).toBe(`${zone} ${expected}`);
        expect(`${zone} ${localIsoTime(instant, zone)}`).toBe(`${zone} ${expected}`);
      }
    }
  });
});

describe('ZoneHourCache', () => {
  const HOUR = 3_600_000;
  /** A zone whose value changes at `change` (ms), counting how often it is asked. */
  function zone(change: number) {
    const asked: number[] = [];
    const cache = new ZoneHourCache((_key, ms) => {
      asked.push(ms);
      return ms < change ? 'before' : 'after';
    }, 3);
    return { asked, cache };
  }

  it('asks once per hour (at its first and last millisecond), then answers from the cache', () => {
    const { asked, cache } = zone(10 * HOUR);
    expect(cache.get('A', 2 * HOUR + 5)).toBe('before');
    expect(cache.get('A', 2 * HOUR + 1_000)).toBe('before');
    expect(cache.get('A', 3 * HOUR - 1)).toBe('before');
    expect(asked).toEqual([2 * HOUR, 3 * HOUR - 1]);
  });

  it('never keeps an hour with a change in it: the instant asked is computed', () => {
    const change = 10 * HOUR + 30 * 60_000;
    const { asked, cache } = zone(change);
    expect(cache.get('A', change - 1)).toBe('before');
    expect(cache.get('A', change)).toBe('after');
    expect(asked.filter((ms) => ms === change - 1 || ms === change)).toHaveLength(2);
    expect(asked).toHaveLength(6);
  });

  it('keeps keys apart, and starts over when full without losing answers', () => {
    const { asked, cache } = zone(Infinity);
    for (let hour = 0; hour < 5; hour += 1) expect(cache.get(`K${hour % 2}`, hour * HOUR)).toBe('before');
    expect(asked).toHaveLength(10);
    // The fourth hour filled the cache (3 hours): it started over and kept the fourth and fifth.
    expect(cache.get('K1', 3 * HOUR)).toBe('before');
    expect(cache.get('K0', 4 * HOUR)).toBe('before');
    expect(asked).toHaveLength(10);
    expect(cache.get('K0', 0)).toBe('before');
    expect(asked).toHaveLength(12);
  });
});
