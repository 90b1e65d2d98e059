import { describe, expect, it } from '@jest/globals';
import type { AuditEntryView } from './audit.view.js';
import { withoutHiddenReferences } from './hidden-references.js';

const entry = (changes: AuditEntryView['changes']): AuditEntryView => ({
  seq: '1',
  at: '2026-01-01T00:00:00.000Z',
  actor: { kind: 'user', id: null, label: 'editor@example.org' },
  action: 'update',
  reason: null,
  changes,
});
const change = (field: string, before: unknown, after: unknown) => ({ field, before, after, redacted: false });
const only = (visible: string[]) => async (ids: string[]) => ids.filter((id) => visible.includes(id));

describe('withoutHiddenReferences', () => {
  it('takes ids the reader may not see out of sourceIds, postponedToId and participants', async () => {
    const page = {
      items: [
        entry([
          change('sourceIds', ['s1'], ['s1', 'secret-source']),
          change('postponedToId', null, 'secret-hearing'),
          change(
            'participants',
            [],
            [
              { personId: 'p1', role: 'defendant' },
              { personId: 'secret-person', role: 'relative' },
            ],
          ),
          change('title', 'a', 'b'),
        ]),
      ],
      nextCursor: null,
    };
    const result = await withoutHiddenReferences(page, {
      sourceIds: only(['s1']),
      postponedToId: only([]),
      participants: only(['p1']),
    });
    // sourceIds and postponedToId only changed by hidden records: those changes disappear.
    expect(result.items[0]!.changes).toEqual([
      change('participants', [], [{ personId: 'p1', role: 'defendant' }]),
      change('title', 'a', 'b'),
    ]);
  });

  it('keeps visible references, and leaves fields without a filter and redacted changes alone', async () => {
    const redacted = { field: 'sourceIds', before: null, after: null, redacted: true };
    const page = { items: [entry([change('sourceIds', [], ['s1', 's2']), redacted])], nextCursor: 'next' };
    const result = await withoutHiddenReferences(page, { sourceIds: only(['s1', 's2']) });
    expect(result).toEqual(page);
    expect(await withoutHiddenReferences(page, {})).toEqual(page);
  });

  it('asks once per field, with every id of the page', async () => {
    const asked: string[][] = [];
    const page = {
      items: [entry([change('sourceIds', ['a'], ['b'])]), entry([change('sourceIds', ['b'], ['c'])])],
      nextCursor: null,
    };
    await withoutHiddenReferences(page, {
      sourceIds: async (ids) => {
        asked.push(ids);
        return ids;
      },
    });
    expect(asked).toEqual([['a', 'b', 'c']]);
  });
});
