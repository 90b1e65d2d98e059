import type { Page } from '#common';
import { canonicalJson } from './canonical-json.js';
import type { AuditEntryView } from './audit.view.js';

/** Given ids, answers those the reader may see. */
export type VisibleIds = (ids: string[]) => Promise<string[]>;

/** How a history field holds ids of other records. */
type ReferenceShape = 'id' | 'ids' | 'personIds';

const SHAPES: Record<string, ReferenceShape> = {
  sourceIds: 'ids',
  postponedToId: 'id',
  participants: 'personIds',
  personId: 'id',
};

function idsIn(shape: ReferenceShape, value: unknown): string[] {
  if (shape === 'id') return typeof value === 'string' ? [value] : [];
  if (!Array.isArray(value)) return [];
  if (shape === 'ids') return value.filter((v): v is string => typeof v === 'string');
  return value.flatMap((p: { personId?: unknown }) => (typeof p?.personId === 'string' ? [p.personId] : []));
}

function keepVisible(shape: ReferenceShape, value: unknown, visible: Set<string>): unknown {
  if (shape === 'id') return typeof value === 'string' && !visible.has(value) ? null : value;
  if (!Array.isArray(value)) return value;
  if (shape === 'ids') return value.filter((v) => typeof v !== 'string' || visible.has(v));
  return value.filter((p: { personId?: unknown }) => typeof p?.personId !== 'string' || visible.has(p.personId));
}

/**
 * Takes ids of records the reader may not see out of a page of history: restricted sources in
 * `sourceIds`, a restricted hearing in `postponedToId`, restricted persons among `participants`.
 * A change that only concerned such records disappears from its entry. `filters` says, per
 * field, how to tell which ids the reader may see; fields without a filter are left as they are.
 */
export async function withoutHiddenReferences(
  page: Page<AuditEntryView>,
  filters: Partial<Record<keyof typeof SHAPES, VisibleIds>>,
): Promise<Page<AuditEntryView>> {
  const visibleByField = new Map<string, Set<string>>();
  for (const [field, visibleIds] of Object.entries(filters)) {
    if (!visibleIds) continue;
    const shape = SHAPES[field]!;
    const ids = page.items.flatMap((entry) =>
      entry.changes
        .filter((c) => c.field === field)
        .flatMap((c) => [...idsIn(shape, c.before), ...idsIn(shape, c.after)]),
    );
    visibleByField.set(field, new Set(ids.length > 0 ? await visibleIds([...new Set(ids)]) : []));
  }
  const items = page.items.map((entry) => ({
    ...entry,
    changes: entry.changes.flatMap((change) => {
      const visible = visibleByField.get(change.field);
      if (!visible || change.redacted) return [change];
      const shape = SHAPES[change.field]!;
      const before = keepVisible(shape, change.before, visible);
      const after = keepVisible(shape, change.after, visible);
      return canonicalJson(before) === canonicalJson(after) ? [] : [{ ...change, before, after }];
    }),
  }));
  return { ...page, items };
}
