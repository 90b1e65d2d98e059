import { describe, expect, it } from '@jest/globals';
import { groupBy } from './collections.js';

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
