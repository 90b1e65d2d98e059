import { type FieldError, hasUnstorableCharacter, UNSTORABLE_CHARACTER_MESSAGE } from '#common';
import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Far deeper than any request DTO (`outcome.date.date` is three levels). */
export const MAX_BODY_DEPTH = 32;

/** True when objects or arrays are nested more than `max` levels deep; iterative, so it cannot overflow. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses JSON bodies nested more than `MAX_BODY_DEPTH` levels deep. Validation turns the body
 * into DTO instances recursively, unknown properties included, and a body of a few thousand
 * levels (well under 1 MB) would overflow the stack there and answer 500. Mount it right after
 * the JSON body parser.
 */
export function rejectDeeplyNestedBodies(req: Request, _res: Response, next: NextFunction): void {
  if (nestedDeeperThan(req.body, MAX_BODY_DEPTH)) {
    next(new BadRequestException(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`));
    return;
  }
  next();
}

/**
 * Keys every plain object inherits from `Object.prototype` (`constructor`, `toString`,
 * `__proto__`, ...). Validation looks fields up by name in plain objects, where these names are
 * always found, so they would pass "forbid unknown fields" unseen; no request field has one.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

function pathOf(parent: string, key: string): string {
  if (/^\d+$/.test(key)) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * What no request body or query may hold, wherever it is, with the path of each (`recipients[0].name`,
 * `q`): a text (value or key) with a character PostgreSQL cannot store (U+0000, an unpaired
 * surrogate), and a key named like an `Object.prototype` member, refused as the unknown field it
 * is. `root` names the value itself (a query parameter read alone); iterative, so any depth is safe.
 */
export function inputProblems(value: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const pending: Array<[unknown, string]> = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (hasUnstorableCharacter(current))
        problems.push({ field: path || 'body', message: UNSTORABLE_CHARACTER_MESSAGE });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Object.entries(current);
    // Popped last first: push in reverse so that problems come in the order of the input.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const childPath = pathOf(path, key);
      if (!Array.isArray(current) && PROTOTYPE_KEYS.has(key)) {
        problems.push({ field: childPath, message: `property ${key} should not exist` });
        continue;
      }
      if (!Array.isArray(current) && hasUnstorableCharacter(key)) {
        problems.push({ field: path || 'body', message: `has a key that ${UNSTORABLE_CHARACTER_MESSAGE}` });
        continue;
      }
      pending.push([child, childPath]);
    }
  }
  return problems;
}

/** A copy of `value` without the keys `inputProblems` refuses as unknown, so that it can be validated safely. */
export function withoutPrototypeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutPrototypeKeys);
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<
    string,
    unknown
  >;
  for (const [key, child] of Object.entries(value)) {
    if (!PROTOTYPE_KEYS.has(key)) copy[key] = withoutPrototypeKeys(child);
  }
  return copy;
}
