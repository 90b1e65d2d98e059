import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { InvalidInputError, PreconditionRequiredError } from '#common';

/**
 * Reads `If-Match: "<version>"` (as sent back from an `ETag`), which every change to a versioned
 * record must carry: absent (or `*`, which would match any version) is a 428, anything else that
 * is not a quoted version a 400. A stale version, or a weak tag (`W/"3"`, which never matches
 * under If-Match's strong comparison), is then refused by the guarded UPDATE with a 412.
 */
export const IfMatchVersion = createParamDecorator((_: unknown, ctx: ExecutionContext): number => {
  const header = ctx.switchToHttp().getRequest<Request>().headers['if-match'];
  if (header === undefined) throw new PreconditionRequiredError();
  return parseIfMatch(header);
});

/**
 * `If-Match` on a PUT, which creates as well as replaces: null when not sent (a create needs
 * none; a replacement without one is refused by the service with 428), else as `IfMatchVersion`.
 */
export const IfMatchVersionIfSent = createParamDecorator((_: unknown, ctx: ExecutionContext): number | null => {
  const header = ctx.switchToHttp().getRequest<Request>().headers['if-match'];
  return header === undefined ? null : parseIfMatch(header);
});

/**
 * Versions start at 1, so this one is never current: what a weak tag stands for, since If-Match
 * compares strongly (RFC 9110, 13.1.1) and a weak tag matches nothing. The guarded write then
 * answers 412 with the current version, as for a stale tag.
 */
const NO_VERSION = 0;

function parseIfMatch(header: string): number {
  if (header.trim() === '' || header.trim() === '*') throw new PreconditionRequiredError();
  // An entity-tag is quoted (RFC 9110, 8.8.3): a bare `3` or an unclosed `"3` is malformed.
  const match = /^\s*(W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) throw InvalidInputError.field('If-Match', 'must be an ETag returned by this API, such as "3"');
  return match[1] ? NO_VERSION : Number(match[2]);
}

/** Sets `ETag: "<version>"` on every response that is a single versioned record. */
@Injectable()
export class ETagInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number' && !response.headersSent) response.setHeader('ETag', `"${version}"`);
        return body;
      }),
    );
  }
}
