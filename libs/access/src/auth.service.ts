import { type Actor, AuthenticationError, type Role } from '#common';
import { AppConfig } from '#config';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AccessTokenEntity, type ApiKeyScope, UserEntity } from './access.entities.js';
import type { LoginView } from './access.views.js';
import { LoginThrottle } from './login-throttle.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { API_KEY_PREFIX, newSecret, secretHash, SESSION_TOKEN_PREFIX } from './tokens.js';

const SCOPE_ROLES: Record<ApiKeyScope, Role> = { 'read-only': 'viewer', 'read-write': 'editor' };

/** One message for every failed login, whether or not the email exists. */
const LOGIN_FAILED = 'The email or password is wrong.';

/** Sign-in with email and password, opaque session tokens, and resolving a bearer secret to an actor. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(email: string, password: string, address: string): Promise<LoginView> {
    const normalized = email.trim().toLowerCase();
    await this.throttle.assertAllowed(normalized, address);
    const user = await this.dataSource.manager.findOne(UserEntity, {
      where: { email: normalized, deactivatedAt: IsNull() },
    });
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !valid) {
      await this.throttle.recordFailure(normalized, address);
      this.logger.warn({ address }, 'failed login');
      throw new AuthenticationError(LOGIN_FAILED);
    }
    await this.throttle.recordSuccess(normalized);
    const accessToken = newSecret(SESSION_TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + this.config.env.ACCESS_TOKEN_TTL_MINUTES * 60_000);
    await this.dataSource.manager.insert(AccessTokenEntity, {
      userId: user.id,
      tokenHash: secretHash(accessToken),
      expiresAt,
    });
    this.logger.log({ userId: user.id }, 'signed in');
    return { accessToken, expiresAt: expiresAt.toISOString() };
  }

  /** Ends the session of this token (a no-op for API keys, which are revoked by an admin). */
  async logout(token: string): Promise<void> {
    await this.dataSource.manager.update(
      AccessTokenEntity,
      { tokenHash: secretHash(token), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /**
   * The actor behind a bearer secret, or null when it is unknown, expired, revoked, or belongs
   * to a deactivated user. Checked against PostgreSQL on every request, so revocation, a
   * deactivation or a role change takes effect at once.
   */
  async authenticate(secret: string): Promise<Actor | null> {
    if (secret.startsWith(SESSION_TOKEN_PREFIX)) {
      const [row] = await this.dataSource.query<Array<{ id: string; email: string; role: Role }>>(
        `SELECT u.id, u.email, u.role FROM access_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.deactivated_at IS NULL`,
        [secretHash(secret)],
      );
      return row ? { kind: 'user', id: row.id, role: row.role, label: row.email } : null;
    }
    if (secret.startsWith(API_KEY_PREFIX)) {
      const [row] = await this.dataSource.query<Array<{ id: string; name: string; scope: ApiKeyScope }>>(
        `SELECT id, name, scope FROM api_keys
          WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [secretHash(secret)],
      );
      return row ? { kind: 'api-key', id: row.id, role: SCOPE_ROLES[row.scope], label: `api-key:${row.name}` } : null;
    }
    return null;
  }
}
