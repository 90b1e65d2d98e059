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
