import { describe, expect, it } from '@jest/globals';
import { isIanaTimeZone } from './time-zone.js';

describe('isIanaTimeZone', () => {
  it.each(['Asia/Almaty', 'Europe/Amsterdam', 'America/Argentina/Buenos_Aires', 'Asia/Tashkent', 'Europe/Kyiv'])(
    'accepts the IANA zone %s',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );

  it.each(['+06:00', '-05:00', 'UTC+6', 'GMT+5', 'UTC', 'Z', 'Mars/Olympus', 'Asia/Atlantis', 'Almaty', '', ' ', '/'])(
    'refuses %j',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(false);
    },
  );

  it.each([null, undefined, 6, 0, true, {}, ['Asia/Almaty'], { zone: 'Asia/Almaty' }])(
    'refuses the non-string %j',
    (value) => {
      expect(isIanaTimeZone(value)).toBe(false);
    },
  );
});
