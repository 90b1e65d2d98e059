import { createHash, randomBytes } from 'node:crypto';

/** Prefixes tell a session token from an API key at a glance (and to secret scanners). */
export const SESSION_TOKEN_PREFIX = 'cts_';
export const API_KEY_PREFIX = 'ctk_';

/** A new opaque secret: a prefix and 256 random bits. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as their SHA-256 (they are random, so no salt or slow hash is needed). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
