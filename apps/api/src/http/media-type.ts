import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Routes that read a body other than JSON, and which media types they take. */
const OTHER_BODIES: Array<{ path: RegExp; types: string[] | 'any' }> = [
  // The follow form of a public case page posts a form, and takes JSON as well.
  {
    path: /^\/api\/v1\/public\/cases\/[^/]+\/follow\/?$/i,
    types: [...JSON_TYPES, 'application/x-www-form-urlencoded'],
  },
  // RFC 8058 one-click unsubscribe may post `multipart/form-data` or a form, and the confirmation
  // page's button posts a form; their token is in the URL and the body is not read.
  { path: /^\/api\/v1\/public\/(unsubscribe|subscriptions\/confirm)\/?$/i, types: 'any' },
  // Imports are uploaded as `multipart/form-data` (the route explains a missing file itself).
  { path: /^\/api\/v1\/imports\/?$/i, types: 'any' },
];

/** Whether the request carries a body (RFC 9112: a Transfer-Encoding, or a Content-Length above 0). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && !/^0*$/.test(length));
}

/**
 * Answers 415 to a POST, PUT or PATCH whose body is not JSON (or the form a route takes): without
 * it, the body would go unread and the request would be refused for fields it seems to lack.
 * Mount it before the body parsers.
 */
export function requireKnownMediaTypes(req: Request, res: Response, next: NextFunction): void {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method) || !hasBody(req)) return next();
  const path = req.path;
  const route = OTHER_BODIES.find((r) => r.path.test(path));
  const types = route?.types ?? JSON_TYPES;
  if (types === 'any' || req.is(types)) return next();
  if (req.method === 'PATCH') res.setHeader('Accept-Patch', 'application/json');
  const form = types.includes('application/x-www-form-urlencoded')
    ? ', or as a form (application/x-www-form-urlencoded)'
    : '';
  next(new UnsupportedMediaTypeException(`Send the body as JSON (Content-Type: application/json)${form}.`));
}
