import { describe, expect, it } from '@jest/globals';
import { vtimezone } from './vtimezone.js';

const observances = (text: string) =>
  [...text.matchAll(/BEGIN:(STANDARD|DAYLIGHT)\r\n([\s\S]*?)END:\1/g)].map((m) =>
    Object.fromEntries(
      m[2]!
        .trim()
        .split('\r\n')
        .map((line) => line.split(':') as [string, string]),
    ),
  );

describe('vtimezone', () => {
  it("gives Almaty's move from UTC+6 to UTC+5 on 1 March 2024 at midnight local time", () => {
    const text = vtimezone('Asia/Almaty', [new Date('2024-02-15T00:00:00Z'), new Date('2024-03-15T00:00:00Z')]);
    expect(text.startsWith('BEGIN:VTIMEZONE\r\nTZID:Asia/Almaty\r\n')).toBe(true);
    expect(text.endsWith('END:VTIMEZONE\r\n')).toBe(true);
    expect(observances(text)).toEqual([
      expect.objectContaining({ DTSTART: '20240101T000000', TZOFFSETFROM: '+0600', TZOFFSETTO: '+0600' }),
      expect.objectContaining({ DTSTART: '20240301T000000', TZOFFSETFROM: '+0600', TZOFFSETTO: '+0500' }),
    ]);
    // A change of standard time, not summer time.
    expect(text).not.toContain('DAYLIGHT');
  });

  it('gives daylight saving time changes at their local times, twice a year', () => {
    const text = vtimezone('Europe/Berlin', [new Date('2025-05-01T00:00:00Z'), new Date('2025-05-01T00:00:00Z')]);
    expect(observances(text)).toEqual([
      { DTSTART: '20250101T000000', TZOFFSETFROM: '+0100', TZOFFSETTO: '+0100', TZNAME: expect.any(String) },
      { DTSTART: '20250330T020000', TZOFFSETFROM: '+0100', TZOFFSETTO: '+0200', TZNAME: expect.any(String) },
      { DTSTART: '20251026T030000', TZOFFSETFROM: '+0200', TZOFFSETTO: '+0100', TZNAME: expect.any(String) },
    ]);
    expect(text).toContain('BEGIN:DAYLIGHT');
    expect(text.match(/BEGIN:DAYLIGHT/g)).toHaveLength(1);
  });

  it('tells summer time in the southern hemisphere', () => {
    const text = vtimezone('Australia/Sydney', [new Date('2025-05-01T00:00:00Z'), new Date('2025-05-01T00:00:00Z')]);
    expect([...text.matchAll(/BEGIN:(STANDARD|DAYLIGHT)\r\nDTSTART:(\d+T\d+)/g)].map((m) => [m[1], m[2]])).toEqual([
      ['DAYLIGHT', '20250101T000000'],
      ['STANDARD', '20250406T030000'],
      ['DAYLIGHT', '20251005T020000'],
    ]);
  });

  it('covers only the years of the hearings, so that a far year costs no more than a near one', () => {
    const text = vtimezone('Europe/Berlin', [new Date('0024-03-15T10:00:00Z'), new Date('9999-03-15T10:00:00Z')]);
    const starts = observances(text).map((o) => o.DTSTART);
    expect(starts[0]).toBe('00240101T000000');
    expect(starts.filter((s) => s!.startsWith('9999'))).toEqual([
      '99990101T000000',
      '99990328T020000',
      '99991031T030000',
    ]);
    expect(starts.some((s) => s!.startsWith('2024'))).toBe(false);
    // Years in a row are one run: Almaty's change is found between them as before.
    const almaty = vtimezone('Asia/Almaty', [new Date('2023-06-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z')]);
    expect(observances(almaty).map((o) => [o.DTSTART, o.TZOFFSETTO])).toEqual([
      ['20230101T000000', '+0600'],
      ['20240301T000000', '+0500'],
    ]);
  });

  it('gives a zone without changes one observance', () => {
    const text = vtimezone('Asia/Tashkent', [new Date('2023-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')]);
    expect(observances(text)).toHaveLength(1);
  });
});
