import { ConfigurationError } from '#config';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * AES-256-GCM encryption of sensitive free-text fields (restricted notes, contact details).
 *
 * Keys come from `DATA_ENCRYPTION_KEY`: a comma-separated list of `<keyId>:<base64 of 32 bytes>`.
 * The first key encrypts; every listed key can decrypt, so a key can be rotated by putting a new
 * one first and running `npm run keys:rotate`. Each value carries the id of its key:
 *
 *     enc:v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag and ciphertext in base64url)
 *
 * The field it belongs to (`person.contactDetails`) is bound in as associated data, so a value
 * copied into another field does not decrypt.
 */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const PREFIX = 'enc:v1:';
const VALUE = /^enc:v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export interface DataKey {
  id: string;
  key: Buffer;
}

/** A missing or malformed `DATA_ENCRYPTION_KEY`: a configuration problem, reported as one line. */
export class KeyringError extends ConfigurationError {
  constructor(message: string) {
    super([message]);
    this.message = message;
  }
}

/** Parses `DATA_ENCRYPTION_KEY`; messages name the problem, never the key material. */
export function parseKeyring(raw: string): DataKey[] {
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, index) => {
      const colon = part.indexOf(':');
      const id = colon > 0 ? part.slice(0, colon) : '';
      if (!KEY_ID.test(id)) {
        throw new KeyringError(
          `DATA_ENCRYPTION_KEY entry ${index + 1} must look like <keyId>:<base64 key>, with a key id of letters, digits, - or _`,
        );
      }
      const key = Buffer.from(part.slice(colon + 1), 'base64');
      if (key.length !== 32) {
        throw new KeyringError(
          `DATA_ENCRYPTION_KEY key "${id}" must be 32 bytes, base64-encoded (openssl rand -base64 32)`,
        );
      }
      return { id, key };
    });
  if (keys.length === 0) throw new KeyringError('DATA_ENCRYPTION_KEY is empty');
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new KeyringError(`DATA_ENCRYPTION_KEY lists key id "${repeated}" twice`);
  return keys;
}

/** Makes a new key entry for `DATA_ENCRYPTION_KEY`. */
export function generateKeyEntry(id: string): string {
  if (!KEY_ID.test(id)) throw new KeyringError('a key id may only contain letters, digits, - and _ (at most 32)');
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class DecryptionError extends Error {}

export class Keyring {
  private readonly byId: Map<string, Buffer>;
  private readonly derived = new Map<Buffer, Map<string, Buffer>>();

  constructor(private readonly keys: DataKey[]) {
    if (keys.length === 0) throw new KeyringError('a keyring needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  static fromEnvironment(raw: string | undefined): Keyring {
    if (!raw) throw new KeyringError('DATA_ENCRYPTION_KEY is not set; generate one with `npm run keys:generate`');
    return new Keyring(parseKeyring(raw));
  }

  /** The id of the key new values are encrypted with. */
  get activeKeyId(): string {
    return this.keys[0]!.id;
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  /** The id of the key a stored value was encrypted with. */
  static keyIdOf(value: string): string | null {
    return VALUE.exec(value)?.[1] ?? null;
  }

  encrypt(plaintext: string, field: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!.key, iv);
    cipher.setAAD(Buffer.from(field, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${this.activeKeyId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${body.toString('base64url')}`;
  }

  decrypt(value: string, field: string): string {
    const match = VALUE.exec(value);
    if (!match) throw new DecryptionError(`a ${field} value is not in the encrypted format`);
    const [, keyId, iv, tag, body] = match;
    const key = this.byId.get(keyId!);
    if (!key) throw new DecryptionError(`a ${field} value is encrypted with key "${keyId}", which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
      decipher.setAAD(Buffer.from(field, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body!, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(`a ${field} value failed authentication (wrong key or tampered data)`);
    }
  }

  /**
   * Signs `data` for `purpose` (links in emails: unsubscribe, confirm): `<keyId>.<base64url HMAC>`,
   * with a key derived from the active data key by HKDF, so no extra secret is needed. Signatures
   * made with any listed key verify, so a key rotation does not break links already sent.
   */
  sign(purpose: string, data: string): string {
    return `${this.activeKeyId}.${this.mac(this.keys[0]!.key, purpose, data)}`;
  }

  verify(purpose: string, data: string, signature: string): boolean {
    const [keyId, mac] = signature.split('.');
    const key = keyId ? this.byId.get(keyId) : undefined;
    if (!key || !mac) return false;
    const expected = Buffer.from(this.mac(key, purpose, data));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(key: Buffer, purpose: string, data: string): string {
    return createHmac('sha256', this.derivedKey(key, purpose)).update(data, 'utf8').digest('base64url');
  }

  /** HKDF of a data key for a purpose; kept, since purposes are few and deriving is not free. */
  private derivedKey(key: Buffer, purpose: string): Buffer {
    let byPurpose = this.derived.get(key);
    if (!byPurpose) this.derived.set(key, (byPurpose = new Map()));
    let derived = byPurpose.get(purpose);
    if (!derived) {
      derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `case-tracker:${purpose}`, 32));
      byPurpose.set(purpose, derived);
    }
    return derived;
  }

  encryptNullable(plaintext: string | null | undefined, field: string): string | null | undefined {
    if (plaintext === undefined || plaintext === null) return plaintext;
    return this.encrypt(plaintext, field);
  }

  decryptNullable(value: string | null, field: string): string | null {
    return value === null ? null : this.decrypt(value, field);
  }

  /** Re-encrypts a value under the active key when it is under another one; null when it already is. */
  rotate(value: string, field: string): string | null {
    if (Keyring.keyIdOf(value) === this.activeKeyId) return null;
    return this.encrypt(this.decrypt(value, field), field);
  }
}
