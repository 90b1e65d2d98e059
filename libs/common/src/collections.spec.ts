import { describe, expect, it } from '@jest/globals';
import { BoundedMemo, groupBy } from './collections.js';

describe('groupBy', () => {
  const rows = [
    { personId: 'b', name: 'Жанболат Мамай' },
    { personId: 'a', name: 'Zhanbolat Mamay' },
    { personId: 'b', name: 'Dzjanboelat Mamai' },
  ];

  it('groups by key, keeping the order of the items within each group', () => {
    const groups = groupBy(rows, (r) => r.personId);
    expect([...groups.keys()]).toEqual(['b', 'a']);
    expect(groups.get('b')).toEqual([rows[0], rows[2]]);
    expect(groups.get('a')).toEqual([rows[1]]);
    expect(groupBy([], (r: { k: string }) => r.k).size).toBe(0);
  });

  it('keeps the value asked for', () => {
    expect(
      groupBy(
        rows,
        (r) => r.personId,
        (r) => r.name,
      ).get('b'),
    ).toEqual(['Жанболат Мамай', 'Dzjanboelat Mamai']);
  });
});

describe('BoundedMemo', () => {
  it('computes each key once, keeps falsy values, and starts over when full', () => {
    let computed = 0;
    const memo = new BoundedMemo<number | null>(2);
    const get = (key: string, value: number | null) =>
      memo.get(key, () => {
        computed += 1;
        return value;
      });
    expect([get('a', 0), get('a', 9), get('b', null), get('b', 9)]).toEqual([0, 0, null, null]);
    expect(computed).toBe(2);
    get('c', 3); // full: starts over with c
    expect(get('a', 5)).toBe(5);
    expect(get('c', 9)).toBe(3);
    expect(computed).toBe(4);
  });
});
