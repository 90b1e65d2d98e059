import { RateLimitedError } from '#common';
import { AppConfig } from '#config';
import { REDIS_CLIENT } from '#queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { secretHash } from './tokens.js';

/**
 * Counts failed logins per account and per client address in Redis (shared by every API
 * process), in a window that starts at the first failure. Once either count reaches its limit,
 * logins for that account or from that address answer 429 with `Retry-After` until the window
 * ends, whether or not the password is right. A successful login clears the account's count.
 * Unknown emails are counted like known ones, so the answers reveal nothing.
 *
 * If Redis is unreachable the limiter lets logins through (and says so in the log) rather than
 * locking every user out; the password check itself never depends on Redis.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /** Throws RateLimitedError while the account or the address is locked out. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, client] = this.keys(email, address);
    const env = this.config.env;
    try {
      const [[, accountCount], [, accountTtl], [, clientCount], [, clientTtl]] = (await this.redis
        .multi()
        .get(account)
        .pttl(account)
        .get(client)
        .pttl(client)
        .exec()) as Array<[Error | null, string | number | null]>;
      const waits = [
        Number(accountCount ?? 0) >= env.LOGIN_MAX_FAILURES_PER_ACCOUNT ? Number(accountTtl) : 0,
        Number(clientCount ?? 0) >= env.LOGIN_MAX_FAILURES_PER_ADDRESS ? Number(clientTtl) : 0,
      ];
      const wait = Math.max(...waits);
      if (wait > 0) throw new RateLimitedError(Math.ceil(wait / 1000));
    } catch (error) {
      if (error instanceof RateLimitedError) throw error;
      this.logger.warn('login rate limiting is unavailable (Redis unreachable); allowing the attempt');
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const window = this.config.env.LOGIN_FAILURE_WINDOW_SECONDS;
    const multi = this.redis.multi();
    for (const key of this.keys(email, address)) multi.incr(key).expire(key, window, 'NX');
    await multi.exec().catch(() => undefined);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '')[0]).catch(() => undefined);
  }

  private keys(email: string, address: string): [string, string] {
    const base = `${this.config.env.QUEUE_PREFIX}:login-failures`;
    // Hashed so that Redis holds no email addresses.
    return [`${base}:account:${secretHash(email.toLowerCase())}`, `${base}:address:${address}`];
  }
}
