import { DEFAULT_PAGE_SIZE, InvalidInputError, type Page } from '#common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** One column of a keyset ordering; the last key must be unique (use the record's `seq`). */
export interface KeysetKey<T> {
  /** SQL expression, e.g. `hearing.startsAt`. */
  column: string;
  /** Reads the key's value from a loaded row, as a JSON-safe value. */
  read: (row: T) => string | number;
  /** SQL cast applied to the cursor parameter, e.g. `timestamptz`. */
  cast?: string;
}

/** The opaque cursor of a keyset position: the key values as base64url JSON. */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The key values of a cursor from `encodeCursor`; an InvalidInputError on `cursor` otherwise. */
export function decodeCursor(cursor: string, expectedLength: number): Array<string | number> {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === expectedLength &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as Array<string | number>;
    }
  } catch {
    // fall through to the error below
  }
  throw InvalidInputError.field('cursor', 'is not a cursor returned by this list');
}

/**
 * Keyset ("seek") pagination: stable while rows are inserted concurrently, and as fast on
 * page 1,000 as on page 1. Rows come in ascending key order.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  keys: KeysetKey<T>[],
  page: { limit?: number; cursor?: string },
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (page.cursor) {
    const values = decodeCursor(page.cursor, keys.length);
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    const left = keys.map((k) => k.column).join(', ');
    const right = keys.map((k, i) => (k.cast ? `CAST(:cursor${i} AS ${k.cast})` : `:cursor${i}`)).join(', ');
    qb.andWhere(`(${left}) > (${right})`, params);
  }
  for (const [i, key] of keys.entries()) {
    if (i === 0) qb.orderBy(key.column, 'ASC');
    else qb.addOrderBy(key.column, 'ASC');
  }
  const rows = await qb.limit(limit + 1).getMany();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(keys.map((k) => k.read(last))) : null;
  return { items, nextCursor };
}
