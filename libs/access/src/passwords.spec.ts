import { describe, expect, it } from '@jest/globals';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordWeakness,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';

const EMAIL = 'aigerim.nurlanovna@example.org';

describe('passwordWeakness', () => {
  it('refuses passwords shorter than 12 characters, whatever they are made of', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    for (const password of ['', 'a', 'Xq7#pL9!zR2', '11 chars !!']) {
      expect(passwordWeakness(password)).toBe('must be at least 12 characters long');
    }
  });

  it('refuses passwords longer than the maximum', () => {
    expect(passwordWeakness('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe(
      `must be at most ${MAX_PASSWORD_LENGTH} characters long`,
    );
  });

  it('refuses long but guessable passwords: common words, repeats, sequences, keyboard walks', () => {
    for (const password of [
      'password1234',
      'Password123!',
      'aaaaaaaaaaaaaaaa',
      'abcdefghijklmnop',
      '123456789012',
      'qwertyuiopasdf',
      'iloveyou2024!',
    ]) {
      expect(passwordWeakness(password)).toMatch(/^is too easy to guess/);
    }
  });

  it("refuses a password containing the user's email, its local part, or their name", () => {
    for (const password of [
      EMAIL,
      `${EMAIL}!`,
      'Aigerim.Nurlanovna@example.org',
      // The local part alone scores well with a stranger's dictionary, but not against the email.
      'aigerim.nurlanovna',
      'aigerim.nurlanovna2024',
      'nurlanovna2024',
      'Nurlanovnaaigerim',
    ]) {
      expect(passwordWeakness(password, [EMAIL, 'Aigerim N.'])).toMatch(/^is too easy to guess/);
    }
    expect(passwordWeakness('Zhanbolat Mamay 1', ['Zhanbolat Mamay'])).toMatch(/^is too easy to guess/);
    // The same passwords are fine for someone else.
    expect(passwordWeakness('aigerim.nurlanovna2024', ['someone@example.org'])).toBeNull();
    expect(passwordWeakness('aigerim.nurlanovna', [])).toBeNull();
  });

  it('accepts long random and several-unrelated-words passwords', () => {
    for (const password of [
      'correct horse battery staple',
      'steppe-lantern-orbit-quince',
      'pw-Qm3vT8zK1xWc9Lr2',
      'Xq7#pL9!zR2v',
    ]) {
      expect(passwordWeakness(password, [EMAIL, 'Aigerim'])).toBeNull();
    }
  });

  it('never repeats the password in its message', () => {
    for (const password of ['short', 'password1234', 'aigerim.nurlanovna2024', 'x'.repeat(MAX_PASSWORD_LENGTH + 1)]) {
      const message = passwordWeakness(password, [EMAIL]);
      expect(message).not.toBeNull();
      expect(message).not.toContain(password);
    }
  });
});

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id, salted, and verifies only the right password', async () => {
    const password = 'steppe-lantern-orbit-quince';
    const hash = await hashPassword(password);
    expect(hash.startsWith('$argon2id$')).toBe(true);
    // PHC string: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (parameters in any order).
    const [, algorithm, version, params, salt, digest] = hash.split('$');
    expect([algorithm, version]).toEqual(['argon2id', 'v=19']);
    expect(Object.fromEntries(params!.split(',').map((p) => p.split('=')))).toEqual({ m: '65536', t: '3', p: '4' });
    expect(salt).toMatch(/^[A-Za-z0-9+/]{16,}$/);
    expect(digest).toMatch(/^[A-Za-z0-9+/]{32,}$/);
    expect(hash).not.toContain(password);
    const again = await hashPassword(password);
    expect(again).not.toBe(hash);

    expect(await verifyPassword(hash, password)).toBe(true);
    expect(await verifyPassword(again, password)).toBe(true);
    expect(await verifyPassword(hash, 'steppe-lantern-orbit-quincE')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('answers false, not an error, for a malformed hash', async () => {
    expect(await verifyPassword('not a hash', 'whatever-password')).toBe(false);
    expect(await verifyPassword('', 'whatever-password')).toBe(false);
  });

  it('checks unknown users against a dummy hash and always answers false', async () => {
    expect(await verifyAgainstDummy('not a real password, only for timing')).toBe(false);
    expect(await verifyAgainstDummy('anything-else')).toBe(false);
  });
});
