import { describe, expect, it } from '@jest/globals';
import {
  diffSnapshots,
  diffSnapshotsJson,
  entryHash,
  entryHashOfCanonical,
  type HashedEntry,
  mostRestrictive,
} from './audit.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

describe('diffSnapshots', () => {
  it('lists only the fields that changed, sorted, with their values before and after', () => {
    const before = { title: 'Case', stage: 'trial', charges: [{ article: '174' }], notes: null };
    const after = { title: 'Case', stage: 'appeal', charges: [{ article: '174' }, { article: '405' }], notes: null };
    expect(diffSnapshots(before, after)).toEqual({
      charges: { before: [{ article: '174' }], after: [{ article: '174' }, { article: '405' }] },
      stage: { before: 'trial', after: 'appeal' },
    });
    expect(Object.keys(diffSnapshots({ z: 1, a: 1, m: 1 }, { z: 2, a: 2, m: 2 }))).toEqual(['a', 'm', 'z']);
  });

  it('treats a missing snapshot as all null: a creation lists every non-null field', () => {
    expect(diffSnapshots(null, { title: 'Case', court: null, stage: 'trial' })).toEqual({
      stage: { before: null, after: 'trial' },
      title: { before: null, after: 'Case' },
    });
    expect(diffSnapshots({ userId: 'u', caseId: null }, null)).toEqual({ userId: { before: 'u', after: null } });
    expect(diffSnapshots(null, null)).toEqual({});
  });

  it('treats absent, undefined and null alike, and compares nested values by content, not key order', () => {
    expect(diffSnapshots({ a: undefined, b: null }, { c: null })).toEqual({});
    expect(
      diffSnapshots({ outcome: { verdict: 'guilty', date: null } }, { outcome: { date: null, verdict: 'guilty' } }),
    ).toEqual({});
    expect(diffSnapshots({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toEqual({
      tags: { before: ['a', 'b'], after: ['b', 'a'] },
    });
    expect(diffSnapshots({ n: 0 }, { n: null })).toEqual({ n: { before: 0, after: null } });
    expect(diffSnapshots({ s: '' }, { s: null })).toEqual({ s: { before: '', after: null } });
    expect(diffSnapshots({ b: false }, { b: null })).toEqual({ b: { before: false, after: null } });
  });
});

describe('mostRestrictive', () => {
  it('is the most restrictive of the visibilities given, ignoring absent ones', () => {
    expect(mostRestrictive()).toBe('public');
    expect(mostRestrictive(null, undefined)).toBe('public');
    expect(mostRestrictive('public')).toBe('public');
    expect(mostRestrictive('internal', 'public')).toBe('internal');
    expect(mostRestrictive('public', 'internal')).toBe('internal');
    expect(mostRestrictive('restricted', 'internal')).toBe('restricted');
    expect(mostRestrictive('internal', 'restricted')).toBe('restricted');
    expect(mostRestrictive(undefined, 'restricted', null, 'public')).toBe('restricted');
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the order of keys, at every level', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' }, c: null };
    const b = { c: null, a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1,"c":null}');
  });

  it('keeps array order, drops undefined members, writes dates as ISO strings and undefined as null', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(new Date('2024-03-01T00:00:00Z'))).toBe('"2024-03-01T00:00:00.000Z"');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('Жанболат "M"')).toBe(JSON.stringify('Жанболат "M"'));
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, á: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"á":3}');
  });
});

describe('entryHash', () => {
  const entry: HashedEntry = {
    at: new Date('2024-03-15T10:00:00.000Z'),
    actorKind: 'user',
    actorId: '6f1c1a52-2b8e-4d0f-9a8e-1d2c3b4a5e6f',
    actorLabel: 'editor@example.org',
    action: 'update',
    entityType: 'custody-event',
    entityId: '0b5d7e1c-0e0a-4a5b-8c9d-aabbccddeeff',
    visibility: 'internal',
    changes: {
      from: { before: { date: '2022-03-12', precision: 'day' }, after: { date: '2022-03-14', precision: 'day' } },
    },
    reason: 'The court record gives 14 March',
    prevHash: 'a'.repeat(64),
  };

  it('is the SHA-256 hex of the canonical JSON of the entry, previous hash included', () => {
    const hash = entryHash(entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(entryHash({ ...entry }));
    expect(hash).toBe(
      sha256Hex(
        canonicalJson({
          ...entry,
          at: entry.at.toISOString(),
        }),
      ),
    );
  });

  it('does not depend on the key order of the changes', () => {
    const changes = { b: { before: 1, after: 2 }, a: { after: 'y', before: 'x' } };
    const reordered = { a: { before: 'x', after: 'y' }, b: { after: 2, before: 1 } };
    expect(entryHash({ ...entry, changes })).toBe(entryHash({ ...entry, changes: reordered }));
  });

  it('changes when any field of the entry changes', () => {
    const hash = entryHash(entry);
    const variants: Array<Partial<HashedEntry>> = [
      { at: new Date('2024-03-15T10:00:00.001Z') },
      { actorKind: 'api-key' },
      { actorId: null },
      { actorId: '6f1c1a52-2b8e-4d0f-9a8e-1d2c3b4a5e60' },
      { actorLabel: 'admin@example.org' },
      { action: 'archive' },
      { entityType: 'person' },
      { entityId: '0b5d7e1c-0e0a-4a5b-8c9d-aabbccddeef0' },
      { visibility: 'restricted' },
      { changes: {} },
      {
        changes: {
          from: { before: { date: '2022-03-12', precision: 'day' }, after: { date: '2022-03-15', precision: 'day' } },
        },
      },
      { changes: { from: { before: null, after: { date: '2022-03-14', precision: 'day' } } } },
      { reason: null },
      { reason: 'The court record gives 14 March.' },
      { prevHash: null },
      { prevHash: 'b'.repeat(64) },
    ];
    const hashes = new Set([hash]);
    for (const variant of variants) {
      const changed = entryHash({ ...entry, ...variant });
      expect(changed).not.toBe(hash);
      hashes.add(changed);
    }
    // Every variant gives its own hash.
    expect(hashes.size).toBe(variants.length + 1);
  });
});

describe('bulk staging helpers', () => {
  const snapshots: Array<[Record<string, unknown> | null, Record<string, unknown> | null]> = [
    [null, { names: [{ value: 'Жанболат Мамай', script: 'Cyrl', note: null }], country: 'KZ', notes: null, tags: [] }],
    [
      { stage: 'trial', charges: [{ b: 1, a: 2 }] },
      { stage: 'appeal', charges: [{ a: 2, b: 1 }], B: 'x', á: true },
    ],
    [
      { n: 0, s: '', quote: 'say "hi"\n' },
      { n: null, s: null, quote: 'say "hi"\n' },
    ],
    [null, null],
  ];

  it('diffSnapshotsJson is the canonical JSON of diffSnapshots', () => {
    for (const [before, after] of snapshots) {
      expect(diffSnapshotsJson(before, after)).toBe(canonicalJson(diffSnapshots(before, after)));
    }
  });

  it('entryHashOfCanonical is entryHash of the same entry, for any changes, actor and reason', () => {
    for (const [before, after] of snapshots) {
      for (const variant of [
        { actorId: null, reason: null, prevHash: null },
        {
          actorId: '6f1c1a52-2b8e-4d0f-9a8e-1d2c3b4a5e6f',
          reason: 'import 1 (Заключённые "2024".csv) row 7',
          prevHash: 'c'.repeat(64),
        },
      ]) {
        const entry = {
          at: new Date('2026-11-21T09:00:00.123Z'),
          actorKind: 'user',
          actorLabel: 'editor@example.org',
          action: 'create',
          entityType: 'person',
          entityId: '0b5d7e1c-0e0a-4a5b-8c9d-aabbccddeeff',
          visibility: 'public',
          ...variant,
        };
        const changes = diffSnapshots(before, after);
        expect(entryHashOfCanonical(entry, diffSnapshotsJson(before, after))).toBe(entryHash({ ...entry, changes }));
      }
    }
  });
});
