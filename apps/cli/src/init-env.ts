import { generateKeyEntry } from '#encryption';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * `npm run env:init`: writes `.env` for running on this machine, with a new encryption key and
 * a random password for the first admin. Variables already in `.env` are kept. `.env` is read
 * by every command and service (the real environment wins over it) and is not committed.
 */
const path = '.env';
const existing = existsSync(path) ? readFileSync(path, 'utf8') : '';
const defined = new Set(
  existing
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=/.exec(line)?.[1])
    .filter(Boolean),
);
const password = randomBytes(18).toString('base64url');
const wanted: Array<[string, string]> = [
  ['DATA_ENCRYPTION_KEY', generateKeyEntry('k1')],
  ['ADMIN_EMAIL', 'admin@example.org'],
  ['ADMIN_PASSWORD', password],
];
const added = wanted.filter(([name]) => !defined.has(name));
if (added.length === 0) {
  console.log('.env already has DATA_ENCRYPTION_KEY, ADMIN_EMAIL and ADMIN_PASSWORD.');
} else {
  const lines = added.map(([name, value]) => `${name}=${value}`).join('\n');
  writeFileSync(path, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${lines}\n`, { mode: 0o600 });
  console.log(`Wrote ${added.map(([name]) => name).join(', ')} to .env (keep it secret; it is not committed).`);
  if (added.some(([name]) => name === 'ADMIN_PASSWORD')) {
    console.log(`First admin (created when the API starts): admin@example.org / ${password}`);
  }
}
