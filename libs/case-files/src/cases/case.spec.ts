import { describe, expect, it } from '@jest/globals';
import { intervalToTerm, termToInterval } from './case.js';

describe('termToInterval', () => {
  it('writes a PostgreSQL interval literal with every part', () => {
    expect(termToInterval({ years: 10 })).toBe('10 years 0 months 0 days');
    expect(termToInterval({ years: 7, months: 6 })).toBe('7 years 6 months 0 days');
    expect(termToInterval({ months: 18, days: 15 })).toBe('0 years 18 months 15 days');
    expect(termToInterval({ days: 30 })).toBe('0 years 0 months 30 days');
    expect(termToInterval({})).toBe('0 years 0 months 0 days');
  });

  it('gives null for no term', () => {
    expect(termToInterval(null)).toBeNull();
    expect(termToInterval(undefined)).toBeNull();
  });
});

describe('intervalToTerm', () => {
  it('reads an interval object as pg returns it, omitting zero parts', () => {
    expect(intervalToTerm({ years: 10 })).toEqual({ years: 10 });
    expect(intervalToTerm({ years: 7, months: 6, days: 0 })).toEqual({ years: 7, months: 6 });
    expect(intervalToTerm({ years: 0, months: 0, days: 45 })).toEqual({ days: 45 });
    expect(intervalToTerm({ years: 1, months: 2, days: 3, hours: 0 })).toEqual({ years: 1, months: 2, days: 3 });
  });

  it('reads a zero interval as an empty term, not as null', () => {
    expect(intervalToTerm({})).toEqual({});
    expect(intervalToTerm({ years: 0, months: 0, days: 0 })).toEqual({});
  });

  it('gives null for no interval', () => {
    expect(intervalToTerm(null)).toBeNull();
    expect(intervalToTerm(undefined)).toBeNull();
  });
});
