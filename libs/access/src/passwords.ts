import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const strength = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/**
 * Why a password is too weak, or null when it is acceptable: at least 12 characters, and not
 * guessable (zxcvbn score 3 or more, counting the user's own email and name as known words).
 * The message never repeats the password.
 */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  // The whole input, an email's local part (`first.last`), and each word of it.
  const inputs = userInputs
    .flatMap((input) => [input, input.split('@')[0]!, ...input.split(/[@.\s_-]+/)])
    .filter((s) => s.length > 2);
  if (strength.check(password, inputs).score < 3) {
    return 'is too easy to guess (avoid common words, names, dates and the email address; several unrelated words work well)';
  }
  return null;
}

/** argon2id with the library's defaults (64 MiB, 3 passes, parallelism 4). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, so that a login for an unknown email
 * cannot be told apart from a wrong password by its timing.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('not a real password, only for timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
