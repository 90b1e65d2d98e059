import { describe, expect, it } from '@jest/globals';
import { localIsoTime } from '#common';
import { hearingStartProblem, parseHearingStart, START_FORMAT_PROBLEM, START_RANGE_PROBLEM } from './hearing.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseHearingStart', () => {
  describe('local time in Asia/Almaty (UTC+6 until 1 March 2024, UTC+5 since)', () => {
    it('reads a February 2024 hearing at UTC+6', () => {
      expect(iso(parseHearingStart('2024-02-15T10:00', 'Asia/Almaty'))).toBe('2024-02-15T04:00:00.000Z');
    });

    it('reads a March 2024 hearing at UTC+5', () => {
      expect(iso(parseHearingStart('2024-03-15T10:00', 'Asia/Almaty'))).toBe('2024-03-15T05:00:00.000Z');
    });

    it('reads the evening before and the morning after the change', () => {
      // At midnight on 1 March clocks went back to 23:00, so 23:00-24:00 on 29 February happened twice.
      expect(iso(parseHearingStart('2024-02-29T22:00', 'Asia/Almaty'))).toBe('2024-02-29T16:00:00.000Z');
      expect(iso(parseHearingStart('2024-03-01T10:00', 'Asia/Almaty'))).toBe('2024-03-01T05:00:00.000Z');
    });

    it('keeps seconds and fractions', () => {
      expect(iso(parseHearingStart('2024-03-15T10:00:30', 'Asia/Almaty'))).toBe('2024-03-15T05:00:30.000Z');
      expect(iso(parseHearingStart('2024-03-15T10:00:30.250', 'Asia/Almaty'))).toBe('2024-03-15T05:00:30.250Z');
    });
  });

  it('reads local time in other zones with their rules for that date', () => {
    expect(iso(parseHearingStart('2024-01-10T09:30', 'Europe/Amsterdam'))).toBe('2024-01-10T08:30:00.000Z');
    expect(iso(parseHearingStart('2024-07-10T09:30', 'Europe/Amsterdam'))).toBe('2024-07-10T07:30:00.000Z');
  });

  it("keeps Z, +00:00 or the court's own offset as the instant it names", () => {
    expect(iso(parseHearingStart('2024-03-15T10:00:00+05:00', 'Asia/Almaty'))).toBe('2024-03-15T05:00:00.000Z');
    expect(iso(parseHearingStart('2024-02-15T10:00:00+06:00', 'Asia/Almaty'))).toBe('2024-02-15T04:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00+0100', 'Europe/Amsterdam'))).toBe('2024-03-15T09:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00:00Z', 'Asia/Almaty'))).toBe('2024-03-15T10:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00Z', 'Europe/Amsterdam'))).toBe('2024-03-15T10:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00:00+00:00', 'Asia/Almaty'))).toBe('2024-03-15T10:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00:00-00:00', 'Asia/Almaty'))).toBe('2024-03-15T10:00:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T10:00:00+05:30', 'Asia/Kolkata'))).toBe('2024-03-15T04:30:00.000Z');
  });

  it("refuses an offset that is not the court's at that moment, such as Almaty's old +06:00", () => {
    for (const [value, zone, given, actual] of [
      ['2024-03-15T10:00:00+06:00', 'Asia/Almaty', '+06:00', '+05:00'],
      ['2024-02-15T10:00:00+05:00', 'Asia/Almaty', '+05:00', '+06:00'],
      ['2024-03-15T10:00+0600', 'Europe/Amsterdam', '+06:00', '+01:00'],
      ['2024-07-15T10:00+01:00', 'Europe/Amsterdam', '+01:00', '+02:00'],
      ['2024-03-15T10:00:00-03:00', 'Asia/Almaty', '-03:00', '+05:00'],
      ['2024-03-15T10:00:00+05:30', 'Asia/Almaty', '+05:30', '+05:00'],
    ] as const) {
      expect([value, parseHearingStart(value, zone)]).toEqual([value, null]);
      expect(hearingStartProblem(value, zone)).toBe(
        `has the offset ${given}, but ${zone} is at ${actual} at that moment: ` +
          "send the court's local time without an offset, or the instant in UTC with Z",
      );
    }
  });

  it.each([
    '',
    'tomorrow',
    '2024-03-15',
    '2024-03-15 10:00',
    '15.03.2024 10:00',
    '2024-13-15T10:00',
    '2024-02-30T10:00',
    '2024-03-15T25:00',
    '2024-03-15T10:60',
    '2024-03-15T10:00:00+25:00',
    '2024-03-15T10:00:00+05:99',
    '2024-03-15T10:00:00-99:99',
    '2024-03-15T10:00+2400',
    '2024-03-15T10',
  ])('returns null for %j', (value) => {
    expect(parseHearingStart(value, 'Asia/Almaty')).toBeNull();
  });

  it('returns null for a local time that does not exist (Europe/Amsterdam DST gap)', () => {
    expect(parseHearingStart('2024-03-31T02:30', 'Europe/Amsterdam')).toBeNull();
    expect(parseHearingStart('2024-03-31T02:00', 'Europe/Amsterdam')).toBeNull();
    // Either side of the gap exists.
    expect(iso(parseHearingStart('2024-03-31T01:59', 'Europe/Amsterdam'))).toBe('2024-03-31T00:59:00.000Z');
    expect(iso(parseHearingStart('2024-03-31T03:00', 'Europe/Amsterdam'))).toBe('2024-03-31T01:00:00.000Z');
    // An offset does not make it exist: at 01:30 UTC the clocks were at +02:00 already.
    expect(hearingStartProblem('2024-03-31T02:30:00+01:00', 'Europe/Amsterdam')).toMatch(
      /^has the offset \+01:00, but Europe\/Amsterdam is at \+02:00 at that moment/,
    );
    expect(hearingStartProblem('2024-03-31T02:30', 'Europe/Amsterdam')).toBe(
      'names a local time that does not exist in Europe/Amsterdam (the clocks skipped it)',
    );
  });

  it('refuses hour 24 as a malformed time, not as a local time the clocks skipped', () => {
    for (const value of ['2024-03-15T24:00', '2024-03-15T24:00:00', '2024-03-15T24:00Z', '2024-03-15T24:00+05:00']) {
      expect(parseHearingStart(value, 'Asia/Almaty')).toBeNull();
      expect(hearingStartProblem(value, 'Asia/Almaty')).toBe(START_FORMAT_PROBLEM);
    }
    expect(iso(parseHearingStart('2024-03-15T23:59', 'Asia/Almaty'))).toBe('2024-03-15T18:59:00.000Z');
    expect(iso(parseHearingStart('2024-03-15T00:00', 'Asia/Almaty'))).toBe('2024-03-14T19:00:00.000Z');
  });

  it('refuses a start whose instant falls outside the years 1 to 9999, by its offset or its zone', () => {
    for (const [value, zone] of [
      ['9999-12-31T23:59:00-23:59', 'Asia/Almaty'],
      ['9999-12-31T20:00:00-05:00', 'Asia/Almaty'],
      ['0001-01-01T00:00:00+23:59', 'Asia/Almaty'],
      ['0001-01-01T00:00:00+00:01', 'Asia/Almaty'],
      // Without an offset, the zone's offset (Almaty's local mean time, +05:07) does the same.
      ['0001-01-01T00:00', 'Asia/Almaty'],
      ['9999-12-31T23:00', 'America/New_York'],
      ['0000-06-01T12:00Z', 'Asia/Almaty'],
    ] as const) {
      expect([value, parseHearingStart(value, zone)]).toEqual([value, null]);
      expect(hearingStartProblem(value, zone)).toBe(START_RANGE_PROBLEM);
    }
    // The first and last instants are fine.
    expect(iso(parseHearingStart('0001-01-01T00:00:00Z', 'Asia/Almaty'))).toBe('0001-01-01T00:00:00.000Z');
    expect(iso(parseHearingStart('9999-12-31T23:59:59Z', 'Asia/Almaty'))).toBe('9999-12-31T23:59:59.000Z');
    expect(iso(parseHearingStart('9999-12-31T23:59:00+14:00', 'Pacific/Kiritimati'))).toBe('9999-12-31T09:59:00.000Z');
    // New York's local mean time was -04:56:02; an offset can only give whole minutes.
    expect(iso(parseHearingStart('0001-01-01T00:00:00-04:56', 'America/New_York'))).toBe('0001-01-01T04:56:00.000Z');
  });

  it('refuses a local time that happens twice, and accepts it with the offset that picks one', () => {
    // Almaty went from UTC+6 to UTC+5 at midnight on 1 March 2024: 23:00-24:00 on 29 February happened twice.
    expect(parseHearingStart('2024-02-29T23:30', 'Asia/Almaty')).toBeNull();
    expect(hearingStartProblem('2024-02-29T23:30', 'Asia/Almaty')).toBe(
      'names a local time that happens twice in Asia/Almaty (at +06:00 and +05:00); add the offset',
    );
    expect(iso(parseHearingStart('2024-02-29T23:30+06:00', 'Asia/Almaty'))).toBe('2024-02-29T17:30:00.000Z');
    expect(iso(parseHearingStart('2024-02-29T23:30+05:00', 'Asia/Almaty'))).toBe('2024-02-29T18:30:00.000Z');
    expect(iso(parseHearingStart('2024-02-29T22:59', 'Asia/Almaty'))).toBe('2024-02-29T16:59:00.000Z');
    // Amsterdam's autumn change: 02:00-03:00 on 27 October 2024 happened twice.
    expect(parseHearingStart('2024-10-27T02:30', 'Europe/Amsterdam')).toBeNull();
    expect(hearingStartProblem('2024-03-15T10:00', 'Asia/Almaty')).toBeNull();
  });

  it('reads local times of years whose offsets differ twice from today’s (as PostgreSQL does)', () => {
    // Luxon's own conversion starts from today's offset and refused these real times.
    expect(iso(parseHearingStart('2010-09-26T10:00', 'Pacific/Apia'))).toBe('2010-09-26T20:00:00.000Z');
    expect(iso(parseHearingStart('2003-03-30T01:30', 'Asia/Almaty'))).toBe('2003-03-29T19:30:00.000Z');
    // Samoa skipped 30 December 2011 altogether.
    expect(hearingStartProblem('2011-12-30T10:00', 'Pacific/Apia')).toBe(
      'names a local time that does not exist in Pacific/Apia (the clocks skipped it)',
    );
    expect(iso(parseHearingStart('2011-12-31T10:00', 'Pacific/Apia'))).toBe('2011-12-30T20:00:00.000Z');
  });
});

describe('hearing times in the court’s zone', () => {
  it('round-trips with parseHearingStart', () => {
    for (const [local, zone] of [
      ['2024-02-15T10:00', 'Asia/Almaty'],
      ['2024-03-15T10:00', 'Asia/Almaty'],
      ['2024-10-27T03:30', 'Europe/Amsterdam'],
      ['2024-06-01T14:15', 'America/Argentina/Buenos_Aires'],
    ] as const) {
      const instant = parseHearingStart(local, zone);
      expect(instant).not.toBeNull();
      expect(localIsoTime(instant!, zone).startsWith(`${local}:00`)).toBe(true);
    }
  });
});
