import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DecryptionError, generateKeyEntry, Keyring, KeyringError, parseKeyring } from './keyring.js';

const keyMaterial = () => randomBytes(32).toString('base64');
const keyring = (...ids: string[]) => new Keyring(ids.map((id) => ({ id, key: randomBytes(32) })));

const FIELD = 'person.contactDetails';
const PLAINTEXT = 'Signal: +7 700 000 0000, спросить Айгерим';

/** Replaces one base64url character of the part of `value` at `index` (0 = "enc"). */
function tamper(value: string, index: number): string {
  const parts = value.split(':');
  const part = parts[index]!;
  const flipped = part[0] === 'A' ? 'B' : 'A';
  parts[index] = flipped + part.slice(1);
  return parts.join(':');
}

describe('Keyring', () => {
  it('encrypts to enc:v1:<keyId>:... and decrypts back, with a fresh IV every time', () => {
    const ring = keyring('k1');
    const first = ring.encrypt(PLAINTEXT, FIELD);
    const second = ring.encrypt(PLAINTEXT, FIELD);
    expect(first).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(first).not.toContain(PLAINTEXT);
    expect(first).not.toBe(second);
    expect(Keyring.isEncrypted(first)).toBe(true);
    expect(Keyring.isEncrypted(PLAINTEXT)).toBe(false);
    expect(Keyring.isEncrypted(null)).toBe(false);
    expect(Keyring.keyIdOf(first)).toBe('k1');
    expect(ring.decrypt(first, FIELD)).toBe(PLAINTEXT);
    expect(ring.decrypt(second, FIELD)).toBe(PLAINTEXT);
    expect(ring.decrypt(ring.encrypt('', FIELD), FIELD)).toBe('');
  });

  it('passes null and undefined through the nullable variants', () => {
    const ring = keyring('k1');
    expect(ring.encryptNullable(null, FIELD)).toBeNull();
    expect(ring.encryptNullable(undefined, FIELD)).toBeUndefined();
    expect(ring.decryptNullable(null, FIELD)).toBeNull();
    expect(ring.decryptNullable(ring.encryptNullable(PLAINTEXT, FIELD)!, FIELD)).toBe(PLAINTEXT);
  });

  it('binds the field as associated data: a value copied into another field does not decrypt', () => {
    const ring = keyring('k1');
    const value = ring.encrypt(PLAINTEXT, FIELD);
    expect(() => ring.decrypt(value, 'source.contactDetails')).toThrow(DecryptionError);
    expect(() => ring.decrypt(value, 'note.body')).toThrow(/failed authentication/);
  });

  it('refuses a tampered IV, tag or ciphertext, and a value not in the format', () => {
    const ring = keyring('k1');
    const value = ring.encrypt(PLAINTEXT, FIELD);
    for (const index of [3, 4, 5]) {
      const tampered = tamper(value, index);
      expect(tampered).not.toBe(value);
      expect(() => ring.decrypt(tampered, FIELD)).toThrow(DecryptionError);
    }
    expect(() => ring.decrypt(value.slice(0, -2), FIELD)).toThrow(DecryptionError);
    expect(() => ring.decrypt(PLAINTEXT, FIELD)).toThrow(/not in the encrypted format/);
    expect(() => ring.decrypt(value.replace('enc:v1:', 'enc:v2:'), FIELD)).toThrow(/not in the encrypted format/);
  });

  it('refuses a value under a key that is not configured, naming the key id', () => {
    const value = keyring('old').encrypt(PLAINTEXT, FIELD);
    expect(() => keyring('new').decrypt(value, FIELD)).toThrow(DecryptionError);
    expect(() => keyring('new').decrypt(value, FIELD)).toThrow(/key "old", which is not configured/);
  });

  it('refuses a value whose key id was swapped for another configured key', () => {
    const ring = keyring('a', 'b');
    const value = ring.encrypt(PLAINTEXT, FIELD);
    expect(() => ring.decrypt(value.replace('enc:v1:a:', 'enc:v1:b:'), FIELD)).toThrow(/failed authentication/);
  });

  it('decrypts with any listed key, encrypts with the first, and rotates to it', () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    const before = new Keyring([oldKey]);
    const after = new Keyring([newKey, oldKey]);
    const stored = before.encrypt(PLAINTEXT, FIELD);

    expect(after.activeKeyId).toBe('new');
    expect(after.decrypt(stored, FIELD)).toBe(PLAINTEXT);
    const rotated = after.rotate(stored, FIELD)!;
    expect(Keyring.keyIdOf(rotated)).toBe('new');
    expect(after.decrypt(rotated, FIELD)).toBe(PLAINTEXT);
    // Already under the active key: nothing to do.
    expect(after.rotate(rotated, FIELD)).toBeNull();
    // The old keyring alone cannot read the rotated value.
    expect(() => before.decrypt(rotated, FIELD)).toThrow(/key "new", which is not configured/);
    // Rotation checks the field too.
    expect(() => after.rotate(stored, 'note.body')).toThrow(DecryptionError);
  });

  it('needs at least one key', () => {
    expect(() => new Keyring([])).toThrow(KeyringError);
  });
});

describe('parseKeyring', () => {
  it('reads a comma-separated list of <keyId>:<base64 of 32 bytes>, first key first', () => {
    const a = keyMaterial();
    const b = keyMaterial();
    const keys = parseKeyring(` k2026:${a} , k2025:${b},`);
    expect(keys.map((k) => k.id)).toEqual(['k2026', 'k2025']);
    expect(keys[0]!.key.equals(Buffer.from(a, 'base64'))).toBe(true);
    expect(Keyring.fromEnvironment(`k2026:${a},k2025:${b}`).activeKeyId).toBe('k2026');
  });

  it('accepts what generateKeyEntry makes, and refuses a bad key id there', () => {
    const entry = generateKeyEntry('k20260101');
    expect(entry).toMatch(/^k20260101:[A-Za-z0-9+/]{43}=$/);
    expect(parseKeyring(entry)[0]!.key).toHaveLength(32);
    expect(() => generateKeyEntry('bad id')).toThrow(KeyringError);
  });

  it('explains every malformed value without repeating any key material', () => {
    const secret = keyMaterial();
    const short = randomBytes(16).toString('base64');
    const cases: Array<[string, RegExp]> = [
      ['', /is empty/],
      [' , ', /is empty/],
      [secret, /entry 1 must look like <keyId>:<base64 key>/],
      [`:${secret}`, /entry 1 must look like/],
      [`bad id!:${secret}`, /entry 1 must look like/],
      [`good:${secret},${short}`, /entry 2 must look like/],
      [`short:${short}`, /key "short" must be 32 bytes/],
      [`long:${randomBytes(48).toString('base64')}`, /key "long" must be 32 bytes/],
      [`twice:${secret},twice:${keyMaterial()}`, /lists key id "twice" twice/],
    ];
    for (const [raw, message] of cases) {
      let error: unknown;
      try {
        parseKeyring(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeyringError);
      const text = (error as Error).message;
      expect(text).toMatch(message);
      // Neither the key nor any recognisable part of it.
      for (const material of [secret, short]) {
        expect(text).not.toContain(material);
        expect(text).not.toContain(material.slice(0, 12));
        expect(text).not.toContain(material.slice(-12));
      }
    }
  });

  it('refuses a missing DATA_ENCRYPTION_KEY with a hint', () => {
    expect(() => Keyring.fromEnvironment(undefined)).toThrow(/not set.*keys:generate/);
    expect(() => Keyring.fromEnvironment('')).toThrow(KeyringError);
  });
});
