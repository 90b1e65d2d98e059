import { describe, expect, it } from '@jest/globals';
import { isRepeatedWallTime } from './calendar.service.js';

describe('isRepeatedWallTime', () => {
  it('tells both passes through an hour the clocks repeat', () => {
    // Amsterdam, 31 October 2027: 03:00 CEST becomes 02:00 CET, so 02:30 comes twice.
    expect(isRepeatedWallTime(new Date('2027-10-31T00:00:00Z'), 'Europe/Amsterdam')).toBe(true);
    expect(isRepeatedWallTime(new Date('2027-10-31T00:30:00Z'), 'Europe/Amsterdam')).toBe(true);
    expect(isRepeatedWallTime(new Date('2027-10-30T23:59:00Z'), 'Europe/Amsterdam')).toBe(false);
    expect(isRepeatedWallTime(new Date('2027-10-31T01:30:00Z'), 'Europe/Amsterdam')).toBe(true);
    expect(isRepeatedWallTime(new Date('2027-10-31T02:00:00Z'), 'Europe/Amsterdam')).toBe(false);
    // Almaty, 1 March 2024 00:00 (UTC+6) became 29 February 23:00 (UTC+5): 23:30 came twice.
    expect(isRepeatedWallTime(new Date('2024-02-29T17:30:00Z'), 'Asia/Almaty')).toBe(true);
    expect(isRepeatedWallTime(new Date('2024-02-29T16:30:00Z'), 'Asia/Almaty')).toBe(false);
    expect(isRepeatedWallTime(new Date('2024-02-29T18:30:00Z'), 'Asia/Almaty')).toBe(true);
    expect(isRepeatedWallTime(new Date('2024-03-01T05:00:00Z'), 'Asia/Almaty')).toBe(false);
    // Lord Howe goes back half an hour; clocks going forward repeat nothing.
    expect(isRepeatedWallTime(new Date('2027-04-03T14:45:00Z'), 'Australia/Lord_Howe')).toBe(true);
    expect(isRepeatedWallTime(new Date('2027-04-03T15:15:00Z'), 'Australia/Lord_Howe')).toBe(true);
    expect(isRepeatedWallTime(new Date('2027-04-03T15:45:00Z'), 'Australia/Lord_Howe')).toBe(false);
    expect(isRepeatedWallTime(new Date('2027-03-28T01:30:00Z'), 'Europe/Amsterdam')).toBe(false);
    expect(isRepeatedWallTime(new Date('2027-10-31T01:30:00Z'), 'UTC')).toBe(false);
  });
});
