import { describe, expect, it } from '@jest/globals';
import { compareCustodyEvents, type CustodyFact, deriveCurrentCustody, sortCustodyEvents } from './custody.js';

// Zhanbolat Mamay: arrested in March 2022, held in pretrial detention from March 2022,
// moved to house arrest around November 2022.
const arrested: CustodyFact = { status: 'arrested', from: { date: '2022-03', precision: 'month' }, seq: 1 };
const pretrial: CustodyFact = { status: 'pretrial-detention', from: { date: '2022-03', precision: 'month' }, seq: 2 };
const houseArrest: CustodyFact = {
  status: 'house-arrest',
  from: { date: '2022-11', precision: 'approximate' },
  seq: 3,
};

describe('deriveCurrentCustody', () => {
  it('is null when no event is recorded', () => {
    expect(deriveCurrentCustody([])).toBeNull();
  });

  it('is the only event when there is one', () => {
    expect(deriveCurrentCustody([arrested])).toBe(arrested);
  });

  it('is the latest event by date, whatever order the events come in', () => {
    expect(deriveCurrentCustody([arrested, pretrial, houseArrest])).toBe(houseArrest);
    expect(deriveCurrentCustody([houseArrest, pretrial, arrested])).toBe(houseArrest);
    expect(deriveCurrentCustody([pretrial, houseArrest, arrested])).toBe(houseArrest);
  });

  it('breaks ties on the same partial date by recording order', () => {
    expect(deriveCurrentCustody([arrested, pretrial])).toBe(pretrial);
    expect(deriveCurrentCustody([pretrial, arrested])).toBe(pretrial);
  });

  it('compares seq numerically, also as bigint or string (as pg returns bigint columns)', () => {
    const a = { ...arrested, seq: '9' };
    const b = { ...pretrial, seq: '10' };
    expect(deriveCurrentCustody([b, a])).toBe(b);
    const big1 = { ...arrested, seq: 9007199254740993n };
    const big2 = { ...pretrial, seq: 9007199254740994n };
    expect(deriveCurrentCustody([big2, big1])).toBe(big2);
  });

  it('does not make a late-recorded older event current', () => {
    const atLiberty: CustodyFact = { status: 'at-liberty', from: { date: '2021', precision: 'year' }, seq: 4 };
    expect(deriveCurrentCustody([arrested, pretrial, houseArrest, atLiberty])).toBe(houseArrest);
    // Recorded later and dated within the same month as the arrest, but still before November.
    const released: CustodyFact = { status: 'released', from: { date: '2022-03-20', precision: 'day' }, seq: 5 };
    expect(deriveCurrentCustody([arrested, pretrial, houseArrest, atLiberty, released])).toBe(houseArrest);
  });

  it('orders approximate dates by the first day they can mean', () => {
    // "around 2022" starts on 1 January 2022: before the March arrest.
    const around2022: CustodyFact = { status: 'unknown', from: { date: '2022', precision: 'approximate' }, seq: 6 };
    expect(deriveCurrentCustody([arrested, around2022])).toBe(arrested);
    // A day within November is finer than "around November": it comes after it.
    const day: CustodyFact = { status: 'imprisoned', from: { date: '2022-11-01', precision: 'day' }, seq: 0 };
    expect(deriveCurrentCustody([houseArrest, day])).toBe(day);
  });
});

describe('compareCustodyEvents', () => {
  it('sorts the Mamay history into the recorded story', () => {
    const sorted = [houseArrest, pretrial, arrested].sort(compareCustodyEvents).map((e) => e.status);
    expect(sorted).toEqual(['arrested', 'pretrial-detention', 'house-arrest']);
  });

  it('is zero only for the same date and the same recording order', () => {
    expect(compareCustodyEvents(arrested, { ...arrested })).toBe(0);
    expect(compareCustodyEvents(arrested, pretrial)).toBeLessThan(0);
    expect(compareCustodyEvents(pretrial, arrested)).toBeGreaterThan(0);
  });
});

describe('sortCustodyEvents', () => {
  it('gives the order of compareCustodyEvents, in a new array', () => {
    const dates = ['2021', '2022', '2022-01', '2022-01-01', '2022-03', '2022-03-01', '2022-03-31', '2022-11', '2023'];
    const precision = (date: string) => (date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day');
    // Every date twice (recorded in either order), with seq beyond Number's exact range.
    const facts: Array<CustodyFact & { id: number }> = dates.flatMap((date, i) => [
      { id: 2 * i, status: 'arrested', from: { date, precision: precision(date) }, seq: `900719925474099${3 + i}` },
      { id: 2 * i + 1, status: 'released', from: { date, precision: 'approximate' }, seq: 100 - i },
    ]);
    // A fixed shuffle.
    const shuffled = facts.map((f, i) => ({ f, k: (i * 7919) % facts.length })).sort((a, b) => a.k - b.k);
    const input = shuffled.map(({ f }) => ({ fact: f }));
    const before = [...input];
    const sorted = sortCustodyEvents(input, (e) => e.fact).map((e) => e.fact.id);
    expect(sorted).toEqual([...facts].sort(compareCustodyEvents).map((f) => f.id));
    // 2021 twice: the same first day and granularity, so the order of recording (seq 100 first).
    expect(sorted.slice(0, 2)).toEqual([1, 0]);
    expect(input).toEqual(before);
  });
});
