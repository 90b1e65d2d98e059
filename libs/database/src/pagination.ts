import { DEFAULT_PAGE_SIZE, hasUnstorableCharacter, InvalidInputError, type Page } from '#common';
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

/**
 * What a cursor value must be to be compared with its key: `bigint` (a `seq`: an integer within
 * int8), `int` (within int4), `numeric` (a decimal such as a score), `date` (a real
 * `YYYY-MM-DD`), `timestamptz` (an ISO 8601 instant such as `toISOString()` writes) or `text`
 * (without U+0000 or an unpaired surrogate, which PostgreSQL refuses).
 */
export type CursorValueType = 'bigint' | 'int' | 'numeric' | 'date' | 'timestamptz' | 'text';

const INT8_MAX = 9223372036854775807n;
const INT4_MAX = 2147483647n;

function integerWithin(value: string | number, max: bigint): boolean {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value;
  if (!/^-?\d{1,19}$/.test(text)) return false;
  const n = BigInt(text);
  return n <= max && n >= -max - 1n;
}

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** True when a cursor value can be compared with a key of `type` without the database refusing it. */
export function isCursorValue(value: unknown, type: CursorValueType): value is string | number {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  if (typeof value === 'number' && !Number.isFinite(value)) return false;
  switch (type) {
    case 'bigint':
      return integerWithin(value, INT8_MAX);
    case 'int':
      return integerWithin(value, INT4_MAX);
    case 'numeric':
      return /^-?\d{1,20}(\.\d{1,20})?$/.test(String(value));
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      return m !== null && Number(m[1]) >= 1 && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'timestamptz': {
      const m = typeof value === 'string' ? INSTANT.exec(value) : null;
      return m !== null && Number(m[1]) >= 1 && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'text':
      return typeof value === 'number' || !hasUnstorableCharacter(value);
  }
}

/** The type a key's cursor value must have: by its cast, and a key without one is a `seq` or text. */
export function cursorValueType(key: Pick<KeysetKey<never>, 'column' | 'cast'>): CursorValueType {
  const cast = key.cast?.trim().toLowerCase();
  if (cast === undefined) return /(^|\.)seq$/i.test(key.column) ? 'bigint' : 'text';
  if (cast === 'bigint' || cast === 'int8') return 'bigint';
  if (cast === 'int' || cast === 'integer' || cast === 'int4') return 'int';
  if (cast === 'numeric' || cast === 'decimal') return 'numeric';
  if (cast === 'date') return 'date';
  if (cast === 'timestamptz' || cast === 'timestamp with time zone') return 'timestamptz';
  return 'text';
}

/** What a cursor that is not one of this list is told. */
const NOT_A_CURSOR = 'is not a cursor returned by this list';

/**
 * The key values of a cursor from `encodeCursor`, each checked against the type of its key (or,
 * given a number of keys, only counted); an InvalidInputError on `cursor` otherwise, so that a
 * tampered cursor or one of another list is refused before it reaches the database.
 */
export function decodeCursor(cursor: string, types: number | readonly CursorValueType[]): Array<string | number> {
  const expected: ReadonlyArray<CursorValueType | null> =
    typeof types === 'number' ? Array.from({ length: types }, () => null) : types;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw InvalidInputError.field('cursor', NOT_A_CURSOR);
  }
  if (
    Array.isArray(values) &&
    values.length === expected.length &&
    values.every((v, i) =>
      expected[i] ? isCursorValue(v, expected[i]) : typeof v === 'string' || typeof v === 'number',
    )
  ) {
    return values as Array<string | number>;
  }
  throw InvalidInputError.field('cursor', NOT_A_CURSOR);
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
    const values = decodeCursor(page.cursor, keys.map(cursorValueType));
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
