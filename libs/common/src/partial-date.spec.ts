import { describe, expect, it } from '@jest/globals';
import {
  comparePartialDates,
  isPartialDate,
  type PartialDate,
  partialDateProblem,
  partialDateSortKey,
} from './partial-date.js';

const pd = (date: string, precision: PartialDate['precision']): PartialDate => ({ date, precision });

describe('partialDateProblem / isPartialDate', () => {
  it.each([
    ['2022', 'year'],
    ['2022-03', 'month'],
    ['2022-03-15', 'day'],
    ['2024-02-29', 'day'],
    ['0001-01-01', 'day'],
    ['9999-12-31', 'day'],
  ] as const)('accepts %s with precision %s', (date, precision) => {
    expect(partialDateProblem(pd(date, precision))).toBeNull();
    expect(isPartialDate(pd(date, precision))).toBe(true);
  });

  it.each(['2022', '2022-11', '2022-11-07'])('accepts %s as approximate at any granularity', (date) => {
    expect(partialDateProblem(pd(date, 'approximate'))).toBeNull();
  });

  it.each([
    ['2022', 'month'],
    ['2022', 'day'],
    ['2022-03', 'year'],
    ['2022-03', 'day'],
    ['2022-03-15', 'year'],
    ['2022-03-15', 'month'],
  ] as const)('refuses %s written with precision %s', (date, precision) => {
    expect(partialDateProblem(pd(date, precision))).toBe(`date "${date}" does not match precision "${precision}"`);
    expect(isPartialDate(pd(date, precision))).toBe(false);
  });

  it.each([
    ['2022-02-30', 'day'],
    ['2023-02-29', 'day'],
    ['2022-04-31', 'day'],
    ['2022-13', 'month'],
    ['2022-00', 'month'],
    ['2022-01-00', 'day'],
    ['0000', 'year'],
    ['0000-01-01', 'approximate'],
    ['22-03', 'month'],
    ['2022-3', 'month'],
    ['2022/03', 'month'],
    ['2022-03-15T00:00', 'day'],
    [' 2022', 'year'],
    ['', 'approximate'],
  ] as const)('refuses the impossible or malformed date %j (%s)', (date, precision) => {
    expect(partialDateProblem(pd(date, precision))).toBe(
      'date must be a real date written YYYY, YYYY-MM or YYYY-MM-DD',
    );
  });

  it('tells 29 February apart in leap and common years', () => {
    expect(isPartialDate(pd('2024-02-29', 'day'))).toBe(true);
    expect(isPartialDate(pd('2023-02-29', 'day'))).toBe(false);
    expect(isPartialDate(pd('2000-02-29', 'day'))).toBe(true);
    expect(isPartialDate(pd('1900-02-29', 'day'))).toBe(false);
  });

  it('refuses values of the wrong type', () => {
    const notObject = 'must be an object {"date","precision"}';
    expect(partialDateProblem(null)).toBe(notObject);
    expect(partialDateProblem(undefined)).toBe(notObject);
    expect(partialDateProblem('2022-03')).toBe(notObject);
    expect(partialDateProblem(2022)).toBe(notObject);
    const notString = 'date must be a string YYYY, YYYY-MM or YYYY-MM-DD';
    expect(partialDateProblem({ date: 2022, precision: 'year' })).toBe(notString);
    expect(partialDateProblem({ date: null, precision: 'year' })).toBe(notString);
    expect(partialDateProblem({ precision: 'year' })).toBe(notString);
    expect(partialDateProblem([])).toBe(notString);
    const badPrecision = 'precision must be one of: day, month, year, approximate';
    expect(partialDateProblem({ date: '2022' })).toBe(badPrecision);
    expect(partialDateProblem({ date: '2022', precision: 'circa' })).toBe(badPrecision);
    expect(partialDateProblem({ date: '2022', precision: 1 })).toBe(badPrecision);
    expect(partialDateProblem({ date: '2022', precision: 'YEAR' })).toBe(badPrecision);
  });
});

describe('partialDateSortKey', () => {
  it('is the first day the partial date can mean', () => {
    expect(partialDateSortKey(pd('2022', 'year'))).toBe('2022-01-01');
    expect(partialDateSortKey(pd('2022-03', 'month'))).toBe('2022-03-01');
    expect(partialDateSortKey(pd('2022-03-15', 'day'))).toBe('2022-03-15');
    expect(partialDateSortKey(pd('2022-11', 'approximate'))).toBe('2022-11-01');
    expect(partialDateSortKey(pd('1988', 'approximate'))).toBe('1988-01-01');
  });

  it('throws on an invalid date instead of inventing a key', () => {
    expect(() => partialDateSortKey(pd('2022-02-30', 'day'))).toThrow(RangeError);
    expect(() => partialDateSortKey(pd('March 2022', 'month'))).toThrow('invalid partial date: March 2022');
  });
});

describe('comparePartialDates', () => {
  it('orders chronologically', () => {
    expect(comparePartialDates(pd('2021', 'year'), pd('2022-03', 'month'))).toBeLessThan(0);
    expect(comparePartialDates(pd('2022-11', 'approximate'), pd('2022-03-31', 'day'))).toBeGreaterThan(0);
    expect(comparePartialDates(pd('2022-03-02', 'day'), pd('2022-03-10', 'day'))).toBeLessThan(0);
    expect(comparePartialDates(pd('2022-12-31', 'day'), pd('2023', 'year'))).toBeLessThan(0);
  });

  it('puts the coarser date first when both start on the same day', () => {
    expect(comparePartialDates(pd('2022', 'year'), pd('2022-01', 'month'))).toBeLessThan(0);
    expect(comparePartialDates(pd('2022-01', 'month'), pd('2022-01-01', 'day'))).toBeLessThan(0);
    expect(comparePartialDates(pd('2022-03-01', 'day'), pd('2022-03', 'month'))).toBeGreaterThan(0);
    expect(comparePartialDates(pd('2022', 'approximate'), pd('2022-01-01', 'approximate'))).toBeLessThan(0);
  });

  it('treats the same written date as equal whatever the precision word', () => {
    expect(comparePartialDates(pd('2022-03', 'month'), pd('2022-03', 'month'))).toBe(0);
    expect(comparePartialDates(pd('2022-03', 'month'), pd('2022-03', 'approximate'))).toBe(0);
  });

  it('sorts an array', () => {
    const dates = [
      pd('2022-11', 'approximate'),
      pd('2022-03-15', 'day'),
      pd('2021', 'year'),
      pd('2022-03', 'month'),
      pd('2022', 'year'),
      pd('2022-03-01', 'day'),
      pd('2020-12-31', 'day'),
    ];
    expect([...dates].sort(comparePartialDates).map((d) => d.date)).toEqual([
      '2020-12-31',
      '2021',
      '2022',
      '2022-03',
      '2022-03-01',
      '2022-03-15',
      '2022-11',
    ]);
  });
});
