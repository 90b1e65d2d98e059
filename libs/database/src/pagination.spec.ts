import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '#common';
import { cursorValueType, decodeCursor, encodeCursor, isCursorValue } from './pagination.js';

const NOT_A_CURSOR = [{ field: 'cursor', message: 'is not a cursor returned by this list' }];

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof InvalidInputError ? error.errors : error;
  }
  return 'accepted';
}

describe('decodeCursor', () => {
  it('gives back the values of a cursor it encoded, checked against the types of the keys', () => {
    const values = ['2024-03-15T05:00:00.000Z', '12'];
    expect(decodeCursor(encodeCursor(values), ['timestamptz', 'bigint'])).toEqual(values);
    expect(decodeCursor(encodeCursor(['2022-03-01', 7, '9223372036854775807']), ['date', 'int', 'bigint'])).toEqual([
      '2022-03-01',
      7,
      '9223372036854775807',
    ]);
    expect(decodeCursor(encodeCursor(['w', '1.2345', '3']), ['text', 'numeric', 'bigint'])).toHaveLength(3);
  });

  it.each([
    [['abc'], ['bigint']],
    [[1.5], ['bigint']],
    [['1.5'], ['bigint']],
    [['99999999999999999999999'], ['bigint']],
    [['9223372036854775808'], ['bigint']],
    [['a\u0000'], ['bigint']],
    [['a\u0000'], ['text']],
    [['\ud800'], ['text']],
    [[{}], ['text']],
    [[null], ['bigint']],
    [
      ['2022-02-30', 1, 1],
      ['date', 'int', 'bigint'],
    ],
    [
      ['2022-02-01', 2147483648, 1],
      ['date', 'int', 'bigint'],
    ],
    [
      ['0000-01-01', 1, 1],
      ['date', 'int', 'bigint'],
    ],
    [
      ['not a date', 1],
      ['timestamptz', 'bigint'],
    ],
    [
      ['2024-02-30T00:00:00.000Z', 1],
      ['timestamptz', 'bigint'],
    ],
    [
      ['2024-01-01T24:00:00.000Z', 1],
      ['timestamptz', 'bigint'],
    ],
    [
      ['2024-01-01', 1],
      ['timestamptz', 'bigint'],
    ],
    [['1e400'], ['numeric']],
    [['1'], ['bigint', 'bigint']],
  ] as const)('refuses %j for keys %j, naming the cursor', (values, types) => {
    expect(refusal(() => decodeCursor(encodeCursor(values as never), types))).toEqual(NOT_A_CURSOR);
  });

  it('refuses what is not base64url JSON, and Infinity (which JSON can spell 1e400)', () => {
    for (const cursor of ['%00', 'not json', Buffer.from('[1e400]').toString('base64url')]) {
      expect(refusal(() => decodeCursor(cursor, ['bigint']))).toEqual(NOT_A_CURSOR);
    }
  });
});

describe('cursorValueType', () => {
  it('reads the type from the cast, and a key without one as a seq or text', () => {
    expect(cursorValueType({ column: 'record.seq' })).toBe('bigint');
    expect(cursorValueType({ column: 'record.name' })).toBe('text');
    expect(cursorValueType({ column: 'hearing.startsAt', cast: 'timestamptz' })).toBe('timestamptz');
    expect(cursorValueType({ column: 'event.from_sort', cast: 'date' })).toBe('date');
    expect(cursorValueType({ column: 'length(event.from_date)', cast: 'int' })).toBe('int');
    expect(cursorValueType({ column: 'x.seq', cast: 'bigint' })).toBe('bigint');
  });

  it('takes integers within int8 as numbers or digits', () => {
    expect(isCursorValue(42, 'bigint')).toBe(true);
    expect(isCursorValue('-9223372036854775808', 'bigint')).toBe(true);
    expect(isCursorValue(2 ** 60, 'bigint')).toBe(false);
  });
});
