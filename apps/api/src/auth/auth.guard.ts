import { AuthService } from '#access';
import { AuthenticationError, ForbiddenError, type Role, roleAtLeast } from '#common';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedRequest, IS_PUBLIC, MINIMUM_ROLE } from './auth.decorators.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route needs `Authorization: Bearer <token or API key>` unless marked `@Public()`;
 * 401 without valid credentials, 403 when the role (or the key's scope) is not enough.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AuthenticationError('Sign in first: send Authorization: Bearer <token>.');
    const actor = await this.auth.authenticate(match[1]!);
    if (!actor) throw new AuthenticationError('The token is invalid, expired or revoked; sign in again.');
    request.actor = actor;
    request.bearer = match[1];
    const required =
      this.reflector.getAllAndOverride<Role>(MINIMUM_ROLE, targets) ??
      (READ_METHODS.has(request.method) ? 'viewer' : 'editor');
    if (!roleAtLeast(actor.role, required)) {
      const scope = actor.kind === 'api-key' ? ' This API key is read-only or may not administer.' : '';
      throw new ForbiddenError(`This needs the ${required} role.${scope}`);
    }
    return true;
  }
}
