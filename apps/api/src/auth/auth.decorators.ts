import {
  type Actor,
  hasUnstorableCharacter,
  InvalidInputError,
  type Role,
  UNSTORABLE_CHARACTER_MESSAGE,
  type WriteContext,
} from '#common';
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const IS_PUBLIC = 'case-tracker:public';
export const MINIMUM_ROLE = 'case-tracker:minimum-role';

/** The route needs no sign-in (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The least role the route needs. Without it, reads (GET, HEAD) need `viewer` and everything
 * else `editor`.
 */
export const RequireRole = (role: Role) => SetMetadata(MINIMUM_ROLE, role);

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  bearer?: string;
}

function authenticated(ctx: ExecutionContext): AuthenticatedRequest & { actor: Actor; bearer: string } {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor || !request.bearer) throw new Error('route is public but reads the actor');
  return request as AuthenticatedRequest & { actor: Actor; bearer: string };
}

/** The signed-in user or API key. */
export const CurrentActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor => authenticated(ctx).actor,
);

/** The bearer secret of this request (logout ends it). */
export const BearerSecret = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string => authenticated(ctx).bearer,
);

export const MAX_REASON_LENGTH = 1000;

/**
 * Who makes this change and why: the reason comes from `X-Change-Reason` (percent-encode
 * non-ASCII text) or from a `reason` field in the body, and is kept in the audit trail.
 */
export const ChangeContext = createParamDecorator((_: unknown, ctx: ExecutionContext): WriteContext => {
  const request = authenticated(ctx);
  const header = request.headers['x-change-reason'];
  const fromBody = (request.body as { reason?: unknown } | undefined)?.reason;
  let reason: unknown = typeof header === 'string' ? decodeReasonHeader(header) : fromBody;
  if (reason === undefined || reason === null) reason = null;
  if (reason !== null && typeof reason !== 'string') throw InvalidInputError.field('reason', 'must be a string');
  if (typeof reason === 'string' && hasUnstorableCharacter(reason)) {
    throw InvalidInputError.field(
      typeof header === 'string' ? 'X-Change-Reason' : 'reason',
      UNSTORABLE_CHARACTER_MESSAGE,
    );
  }
  const trimmed = typeof reason === 'string' ? reason.trim() : null;
  if (trimmed !== null && trimmed.length > MAX_REASON_LENGTH) {
    throw InvalidInputError.field('reason', `must be at most ${MAX_REASON_LENGTH} characters`);
  }
  return { actor: request.actor, reason: trimmed === '' ? null : trimmed };
});

function decodeReasonHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw InvalidInputError.field('X-Change-Reason', 'is not correctly percent-encoded');
  }
}
