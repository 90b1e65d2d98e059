import { secretHash } from '#access';
import { AppConfig } from '#config';
import { REDIS_CLIENT } from '#queue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { PROBLEM_TYPES } from '../apps/api/src/http/problem-details.js';
import { personBody } from './support/fixtures.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { type Client, clientFor, createTestApp, type TestApp } from './support/test-app.js';

/** Sign-in, rate limiting, sessions, users, API keys, and the HTTP hardening around them. */

const unique = () => randomBytes(6).toString('hex');
const strongPassword = () => `lantern-${randomBytes(12).toString('base64url')}-orbit`;
const newEmail = (tag: string) => `${tag}-${unique()}@Example.org`;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  currentVersion?: number;
}

/**
 * Creates another app from the same code with some variables changed. The configuration is read
 * when the Nest module is built, so the variables only need to be set while it is created; they
 * are restored afterwards for the rest of this file.
 */
async function createTestAppWith(env: Record<string, string>): Promise<TestApp> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await createTestApp();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function loginRequest(t: TestApp, email: string, password: string, forwardedFor?: string) {
  const req = request(t.http).post('/api/v1/auth/login');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ email, password });
}

async function etagOf(client: Client, path: string): Promise<string> {
  const res = await client.get(path).expect(200);
  return res.headers.etag as string;
}

function expectProblem(res: request.Response, status: number, type?: string): Problem {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.body as Problem;
  expect(body.status).toBe(status);
  if (type) expect(body.type).toBe(type);
  return body;
}

describe('access control', () => {
  let t: TestApp;
  let config: AppConfig;

  beforeAll(async () => {
    t = await createTestApp();
    config = t.app.get(AppConfig);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A user created through the admin API, signed in. */
  async function newUser(role: 'viewer' | 'editor', tag: string = role) {
    return t.createUser(role, `Access ${tag}`);
  }

  describe('login', () => {
    it('signs in with email and password and returns a session token with its expiry', async () => {
      const user = await newUser('viewer');
      const before = Date.now();
      // The email is matched whatever its case and surrounding spaces.
      const res = await loginRequest(t, `  ${user.email.toUpperCase()} `, user.password).expect(200);
      const body = res.body as { accessToken: string; expiresAt: string };
      expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresAt']);
      expect(body.accessToken).toMatch(/^cts_[A-Za-z0-9_-]{43}$/);
      const ttl = config.env.ACCESS_TOKEN_TTL_MINUTES * 60_000;
      const expiresAt = Date.parse(body.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + ttl - 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + ttl + 1000);

      const me = await clientFor(t.http, body.accessToken).get('/api/v1/auth/me').expect(200);
      expect(me.body).toEqual({ kind: 'user', id: user.id, role: 'viewer', label: user.email });
    });

    it('answers an unknown email, a wrong password and a deactivated account with the same 401', async () => {
      const user = await newUser('viewer');
      const deactivated = await newUser('viewer', 'deactivated');
      await t.admin.delete(`/api/v1/users/${deactivated.id}`).set('If-Match', '"1"').expect(204);

      const answers = [
        await loginRequest(t, newEmail('nobody'), strongPassword()),
        await loginRequest(t, user.email, `${user.password}-wrong`),
        await loginRequest(t, deactivated.email, deactivated.password),
      ];
      const shapes = answers.map((res) => {
        const body = expectProblem(res, 401, PROBLEM_TYPES.unauthenticated);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        return { title: body.title, detail: body.detail, type: body.type };
      });
      expect(shapes[0]!.detail).toBe('The email or password is wrong.');
      expect(shapes[1]).toEqual(shapes[0]);
      expect(shapes[2]).toEqual(shapes[0]);
    });

    it('refuses a login body without email or password (400) without counting it as a failure', async () => {
      const res = await request(t.http).post('/api/v1/auth/login').send({ email: 'x@example.org' });
      const body = expectProblem(res, 400, PROBLEM_TYPES.validation);
      expect(body.errors?.map((e) => e.field)).toContain('password');
    });
  });

  describe('rate limiting per account', () => {
    it('locks an account with 429 and Retry-After after too many failures, even for the right password', async () => {
      const limit = config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT;
      const window = config.env.LOGIN_FAILURE_WINDOW_SECONDS;
      const user = await newUser('viewer', 'locked');
      const bystander = await newUser('viewer', 'bystander');

      for (let i = 0; i < limit; i++) {
        expectProblem(await loginRequest(t, user.email, `wrong-${i}`), 401);
      }
      for (const password of [`wrong-${limit}`, user.password]) {
        const res = await loginRequest(t, user.email, password);
        const body = expectProblem(res, 429, PROBLEM_TYPES.rateLimited);
        const retryAfter = Number(res.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(window);
        expect(body).toMatchObject({ retryAfter });
      }

      // Another account from the same address is not affected; the locked user's sessions still work.
      await loginRequest(t, bystander.email, bystander.password).expect(200);
      await user.client.get('/api/v1/auth/me').expect(200);
    });

    it('locks an unknown email just like a known one, so the answers reveal nothing', async () => {
      const email = newEmail('ghost');
      for (let i = 0; i < config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT; i++) {
        expectProblem(await loginRequest(t, email, `guess-${i}`), 401);
      }
      expectProblem(await loginRequest(t, email, 'guess-again'), 429, PROBLEM_TYPES.rateLimited);
    });

    it('clears the count of an account on a successful login', async () => {
      const limit = config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT;
      const user = await newUser('viewer', 'recovering');
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < limit - 1; i++) expectProblem(await loginRequest(t, user.email, `typo-${i}`), 401);
        await loginRequest(t, user.email, user.password).expect(200);
      }
    });
  });

  describe('an app with a low limit per client address, a proxy in front and one CORS origin', () => {
    const ALLOWED_ORIGIN = 'https://campaign.example.org';
    let low: TestApp;
    let prefix: string;

    beforeAll(async () => {
      // Its own Redis prefix: failed logins of other test files (all from 127.0.0.1) must not
      // count against this app's low limit. `TRUST_PROXY_HOPS` lets the tests pick client
      // addresses with X-Forwarded-For.
      prefix = `${process.env.QUEUE_PREFIX}-addr-${unique()}`;
      low = await createTestAppWith({
        LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
        TRUST_PROXY_HOPS: '1',
        CORS_ORIGINS: ALLOWED_ORIGIN,
        QUEUE_PREFIX: prefix,
      });
    });
    afterAll(async () => {
      const redis = low.app.get<Redis>(REDIS_CLIENT);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await low.close();
    });

    it('reads the changed variables when the module is created, and the first app keeps its own', () => {
      expect(low.app.get(AppConfig).env).toMatchObject({
        LOGIN_MAX_FAILURES_PER_ADDRESS: 3,
        TRUST_PROXY_HOPS: 1,
        CORS_ORIGINS: ALLOWED_ORIGIN,
        QUEUE_PREFIX: prefix,
      });
      expect(config.env.LOGIN_MAX_FAILURES_PER_ADDRESS).toBe(1000);
      expect(config.env.CORS_ORIGINS).toBe('');
      expect(process.env.LOGIN_MAX_FAILURES_PER_ADDRESS).toBe('1000');
      expect(process.env.QUEUE_PREFIX).not.toBe(prefix);
    });

    it('locks a client address with 429 after too many failures over any accounts; other addresses are unaffected', async () => {
      const user = await low.createUser('viewer', 'Address limit');
      const attacker = '203.0.113.7';
      for (let i = 0; i < 3; i++) {
        // A different email each time: the per-account limit (5) is never reached.
        expectProblem(await loginRequest(low, newEmail(`spray${i}`), 'Winter2024!'), 401);
      }
      // Those came from the socket address (127.0.0.1), which is now locked, whatever the account.
      expectProblem(await loginRequest(low, user.email, user.password), 429, PROBLEM_TYPES.rateLimited);
      // The attacker's address has no failures yet.
      await loginRequest(low, user.email, user.password, attacker).expect(200);

      for (let i = 0; i < 3; i++) {
        expectProblem(await loginRequest(low, newEmail(`spray${i}`), 'Winter2024!', attacker), 401);
      }
      const refused = await loginRequest(low, user.email, user.password, attacker);
      expectProblem(refused, 429, PROBLEM_TYPES.rateLimited);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      await loginRequest(low, user.email, user.password, '198.51.100.9').expect(200);
      // The first app (limit 1000, shared address counter in its own prefix) lets the user in.
      await loginRequest(t, user.email, user.password).expect(200);
    });

    it('answers a CORS preflight from the configured origin only', async () => {
      const allowed = await request(low.http)
        .options('/api/v1/persons')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization,if-match,content-type');
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('if-match');
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

      const other = await request(low.http)
        .options('/api/v1/persons')
        .set('Origin', 'https://evil.example.com')
        .set('Access-Control-Request-Method', 'GET');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();

      const read = await clientFor(low.http, low.viewer.token).get('/api/v1/auth/me').set('Origin', ALLOWED_ORIGIN);
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(read.headers['access-control-expose-headers'])).toContain('ETag');
    });
  });

  describe('HTTP hardening', () => {
    it('sends no CORS headers without CORS_ORIGINS, to a preflight or to a request with an Origin', async () => {
      const preflight = await request(t.http)
        .options('/api/v1/persons')
        .set('Origin', 'https://campaign.example.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();

      const read = await t.viewer.get('/api/v1/auth/me').set('Origin', 'https://campaign.example.org').expect(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
      expect(read.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('sends helmet security headers on answers and on refusals, and no X-Powered-By', async () => {
      for (const res of [
        await t.viewer.get('/api/v1/auth/me').expect(200),
        await request(t.http).get('/api/v1/persons').expect(401),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('sessions', () => {
    it('stores session tokens and API keys only as their SHA-256', async () => {
      const user = await newUser('viewer', 'hashed');
      const key = await t.admin.post('/api/v1/api-keys').send({ name: `Hash check ${unique()}`, scope: 'read-only' });
      const secrets = [user.client.token, (key.body as { key: string }).key];
      for (const secret of secrets) {
        for (const table of ['access_tokens', 'api_keys', 'users', 'audit_log']) {
          const [row] = await t.dataSource.query<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM ${table} r WHERE strpos(r::text, $1) > 0`,
            [secret],
          );
          expect({ table, rows: row!.n }).toEqual({ table, rows: 0 });
        }
      }
      const [session] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM access_tokens WHERE token_hash = $1 AND user_id = $2`,
        [secretHash(user.client.token), user.id],
      );
      expect(session!.n).toBe(1);
      const [apiKey] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM api_keys WHERE token_hash = $1`,
        [secretHash(secrets[1]!)],
      );
      expect(apiKey!.n).toBe(1);
    });

    it('tells who is signed in with GET /auth/me', async () => {
      const editor = await newUser('editor');
      const me = await editor.client.get('/api/v1/auth/me').expect(200);
      expect(me.body).toEqual({ kind: 'user', id: editor.id, role: 'editor', label: editor.email });
    });

    it('ends only the current session on logout', async () => {
      const user = await newUser('viewer', 'logout');
      const second = clientFor(t.http, await t.login(user.email, user.password));
      await user.client.post('/api/v1/auth/logout').expect(204);
      expectProblem(await user.client.get('/api/v1/auth/me'), 401, PROBLEM_TYPES.unauthenticated);
      expectProblem(await user.client.post('/api/v1/auth/logout'), 401);
      await second.get('/api/v1/auth/me').expect(200);
    });

    it('changes the own password, ending the other sessions but keeping this one', async () => {
      const user = await newUser('viewer', 'password');
      const other = clientFor(t.http, await t.login(user.email, user.password));
      const newPassword = strongPassword();

      const wrong = await user.client
        .post('/api/v1/auth/password')
        .send({ currentPassword: `${user.password}x`, newPassword });
      expect(expectProblem(wrong, 400, PROBLEM_TYPES.validation).errors).toEqual([
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
      const weak = await user.client
        .post('/api/v1/auth/password')
        .send({ currentPassword: user.password, newPassword: 'password1234' });
      expect(expectProblem(weak, 400).errors?.map((e) => e.field)).toEqual(['newPassword']);
      expect(JSON.stringify(weak.body)).not.toContain('password1234');
      // Refused attempts end nothing.
      await other.get('/api/v1/auth/me').expect(200);

      await user.client.post('/api/v1/auth/password').send({ currentPassword: user.password, newPassword }).expect(204);
      await user.client.get('/api/v1/auth/me').expect(200);
      expectProblem(await other.get('/api/v1/auth/me'), 401);
      expectProblem(await loginRequest(t, user.email, user.password), 401);
      await loginRequest(t, user.email, newPassword).expect(200);
    });
  });

  describe('users (admin)', () => {
    it('creates a user, refusing a weak password with a field error that does not repeat it', async () => {
      const email = newEmail('new-editor');
      const weak = await t.admin
        .post('/api/v1/users')
        .send({ email, displayName: 'Weak', role: 'editor', password: 'password1234' });
      const body = expectProblem(weak, 400, PROBLEM_TYPES.validation);
      expect(body.errors?.map((e) => e.field)).toEqual(['password']);
      expect(JSON.stringify(weak.body)).not.toContain('password1234');
      const short = await t.admin
        .post('/api/v1/users')
        .send({ email, displayName: 'Short', role: 'editor', password: 'x7#Qp' });
      expect(expectProblem(short, 400).errors).toEqual([
        { field: 'password', message: 'must be at least 12 characters long' },
      ]);
      const badRole = await t.admin
        .post('/api/v1/users')
        .send({ email, displayName: 'Role', role: 'owner', password: strongPassword() });
      expect(expectProblem(badRole, 400).errors?.map((e) => e.field)).toEqual(['role']);

      const password = strongPassword();
      const created = await t.admin
        .post('/api/v1/users')
        .send({ email, displayName: 'New editor', role: 'editor', password })
        .expect(201);
      expect(created.body).toMatchObject({
        email: email.toLowerCase(),
        displayName: 'New editor',
        role: 'editor',
        active: true,
        version: 1,
        deactivatedAt: null,
      });
      expect(JSON.stringify(created.body)).not.toMatch(/password|hash/i);
      const got = await t.admin.get(`/api/v1/users/${(created.body as { id: string }).id}`).expect(200);
      expect(got.headers.etag).toBe('"1"');
      await loginRequest(t, email, password).expect(200);

      const list = await t.admin.get('/api/v1/users').query({ limit: 100 }).expect(200);
      expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|\$argon2/);
    });

    it('refuses a second user with the same email, whatever its case (409)', async () => {
      const existing = await newUser('viewer', 'duplicate');
      for (const email of [existing.email, existing.email.toUpperCase()]) {
        const res = await t.admin
          .post('/api/v1/users')
          .send({ email, displayName: 'Again', role: 'viewer', password: strongPassword() });
        expectProblem(res, 409, PROBLEM_TYPES.conflict);
      }
    });

    it('applies a role change on the very next request with the same token', async () => {
      const user = await newUser('viewer', 'promoted');
      expectProblem(await user.client.post('/api/v1/persons').send(personBody(' promoted')), 403);

      await t.admin.patch(`/api/v1/users/${user.id}`).set('If-Match', '"1"').send({ role: 'editor' }).expect(200);
      await user.client.post('/api/v1/persons').send(personBody(' promoted')).expect(201);
      expect((await user.client.get('/api/v1/auth/me').expect(200)).body).toMatchObject({ role: 'editor' });

      await t.admin.patch(`/api/v1/users/${user.id}`).set('If-Match', '"2"').send({ role: 'viewer' }).expect(200);
      expectProblem(await user.client.post('/api/v1/persons').send(personBody(' demoted')), 403);
    });

    it('deactivates a user: their tokens fail at once and they cannot sign in until reactivated', async () => {
      const user = await newUser('editor', 'deactivated');
      const second = clientFor(t.http, await t.login(user.email, user.password));
      await t.admin.delete(`/api/v1/users/${user.id}`).set('If-Match', '"1"').expect(204);

      for (const client of [user.client, second]) {
        expectProblem(await client.get('/api/v1/auth/me'), 401, PROBLEM_TYPES.unauthenticated);
      }
      expectProblem(await loginRequest(t, user.email, user.password), 401);
      const got = await t.admin.get(`/api/v1/users/${user.id}`).expect(200);
      expect(got.body).toMatchObject({ active: false, version: 2 });
      expect(got.body.deactivatedAt).not.toBeNull();
      // Deactivating again changes nothing.
      await t.admin.delete(`/api/v1/users/${user.id}`).set('If-Match', '"2"').expect(204);

      const restored = await t.admin.post(`/api/v1/users/${user.id}/restore`).expect(200);
      expect(restored.body).toMatchObject({ active: true, deactivatedAt: null, version: 3 });
      await loginRequest(t, user.email, user.password).expect(200);
      // Sessions ended by the deactivation stay ended.
      expectProblem(await user.client.get('/api/v1/auth/me'), 401);
    });

    it('ends the sessions of a user whose password an admin sets', async () => {
      const user = await newUser('viewer', 'reset');
      const password = strongPassword();
      await t.admin.patch(`/api/v1/users/${user.id}`).set('If-Match', '"1"').send({ password }).expect(200);
      expectProblem(await user.client.get('/api/v1/auth/me'), 401);
      await loginRequest(t, user.email, password).expect(200);
    });

    it('refuses a change with a stale If-Match (412) or without one (428)', async () => {
      const user = await newUser('viewer', 'versioned');
      const path = `/api/v1/users/${user.id}`;
      await t.admin.patch(path).set('If-Match', '"1"').send({ displayName: 'Renamed' }).expect(200);
      expect(await etagOf(t.admin, path)).toBe('"2"');

      const stale = await t.admin.patch(path).set('If-Match', '"1"').send({ displayName: 'Stale' });
      expect(expectProblem(stale, 412, PROBLEM_TYPES.versionMismatch)).toMatchObject({ currentVersion: 2 });
      expectProblem(await t.admin.delete(path).set('If-Match', '"1"'), 412);
      expectProblem(
        await t.admin.patch(path).send({ displayName: 'No version' }),
        428,
        PROBLEM_TYPES.preconditionRequired,
      );
      expectProblem(await t.admin.delete(path), 428);
      expect((await t.admin.get(path).expect(200)).body).toMatchObject({ displayName: 'Renamed', active: true });
      await user.client.get('/api/v1/auth/me').expect(200);
    });

    it('answers 404 for an unknown user', async () => {
      expectProblem(await t.admin.get(`/api/v1/users/00000000-0000-4000-8000-000000000000`), 404);
    });
  });

  describe('the last admin (in a database of its own, where the first admin is the only one)', () => {
    let scratch: ScratchDatabase;
    let solo: TestApp;

    beforeAll(async () => {
      scratch = await createScratchDatabase('admins');
      solo = await createTestAppWith({ DATABASE_URL: scratch.url });
    });
    afterAll(async () => {
      await solo?.close();
      await scratch?.drop();
    });

    it('refuses to demote or deactivate the only active admin (409)', async () => {
      const [{ n: admins }] = await solo.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND deactivated_at IS NULL`,
      );
      expect(admins).toBe(1);
      const me = (await solo.admin.get('/api/v1/auth/me').expect(200)).body as { id: string };
      const path = `/api/v1/users/${me.id}`;
      const etag = await etagOf(solo.admin, path);

      const demote = await solo.admin.patch(path).set('If-Match', etag).send({ role: 'editor' });
      expect(expectProblem(demote, 409, PROBLEM_TYPES.conflict).detail).toMatch(/last active admin/);
      expectProblem(await solo.admin.delete(path).set('If-Match', etag), 409, PROBLEM_TYPES.conflict);
      expect((await solo.admin.get(path).expect(200)).body).toMatchObject({ role: 'admin', active: true });
      await solo.admin.get('/api/v1/users').expect(200);
    });

    it('lets an admin step down once there is another, with immediate effect; the other is then the last', async () => {
      const first = (await solo.admin.get('/api/v1/auth/me').expect(200)).body as { id: string };
      const password = strongPassword();
      const second = await solo.admin
        .post('/api/v1/users')
        .send({ email: newEmail('second-admin'), displayName: 'Second admin', role: 'admin', password })
        .expect(201);
      const secondClient = clientFor(solo.http, await solo.login((second.body as { email: string }).email, password));

      const firstPath = `/api/v1/users/${first.id}`;
      await solo.admin
        .patch(firstPath)
        .set('If-Match', await etagOf(solo.admin, firstPath))
        .send({ role: 'editor' })
        .expect(200);
      expectProblem(await solo.admin.get('/api/v1/users'), 403, PROBLEM_TYPES.forbidden);

      const secondPath = `/api/v1/users/${(second.body as { id: string }).id}`;
      const etag = await etagOf(secondClient, secondPath);
      expectProblem(await secondClient.patch(secondPath).set('If-Match', etag).send({ role: 'viewer' }), 409);
      expectProblem(await secondClient.delete(secondPath).set('If-Match', etag), 409);

      // Restore the first admin for any later test.
      await secondClient
        .patch(firstPath)
        .set('If-Match', await etagOf(secondClient, firstPath))
        .send({ role: 'admin' });
      await solo.admin.get('/api/v1/users').expect(200);
    });
  });

  describe('API keys (admin)', () => {
    async function createKey(scope: 'read-only' | 'read-write', extra: Record<string, unknown> = {}) {
      const res = await t.admin
        .post('/api/v1/api-keys')
        .send({ name: `Integration ${scope} ${unique()}`, scope, ...extra })
        .expect(201);
      return res.body as { id: string; key: string; prefix: string; name: string; scope: string };
    }

    it('shows a new key once: in the answer to its creation, never in the list or the record', async () => {
      const created = await createKey('read-only');
      expect(created.key).toMatch(/^ctk_[A-Za-z0-9_-]{43}$/);
      expect(created.prefix).toBe(created.key.slice(0, 8));
      expect(created).toMatchObject({ scope: 'read-only', revokedAt: null, expiresAt: null });

      const one = await t.admin.get(`/api/v1/api-keys/${created.id}`).expect(200);
      expect(one.body).not.toHaveProperty('key');
      expect(JSON.stringify(one.body)).not.toContain(created.key);
      const list = await t.admin.get('/api/v1/api-keys').query({ limit: 100 }).expect(200);
      const items = (list.body as { items: Array<Record<string, unknown>> }).items;
      expect(items.every((item) => !('key' in item))).toBe(true);
      expect(JSON.stringify(list.body)).not.toContain(created.key);
    });

    it('lets a read-only key read but not write, and a read-write key write but not administer', async () => {
      const readOnly = clientFor(t.http, (await createKey('read-only')).key);
      const readWrite = clientFor(t.http, (await createKey('read-write')).key);

      expect((await readOnly.get('/api/v1/auth/me').expect(200)).body).toMatchObject({
        kind: 'api-key',
        role: 'viewer',
      });
      await readOnly.get('/api/v1/persons').expect(200);
      expectProblem(await readOnly.post('/api/v1/persons').send(personBody(' key')), 403, PROBLEM_TYPES.forbidden);

      expect((await readWrite.get('/api/v1/auth/me').expect(200)).body).toMatchObject({ role: 'editor' });
      const person = await readWrite.post('/api/v1/persons').send(personBody(' key')).expect(201);
      await readWrite
        .patch(`/api/v1/persons/${(person.body as { id: string }).id}`)
        .set('If-Match', '"1"')
        .send({ occupations: ['blogger'] })
        .expect(200);
      expectProblem(await readWrite.get('/api/v1/users'), 403);
      expectProblem(await readWrite.post('/api/v1/api-keys').send({ name: 'Escalation', scope: 'read-write' }), 403);
    });

    it('stops a key at once when it is revoked', async () => {
      const created = await createKey('read-write');
      const key = clientFor(t.http, created.key);
      await key.get('/api/v1/auth/me').expect(200);

      await t.admin.delete(`/api/v1/api-keys/${created.id}`).expect(204);
      expectProblem(await key.get('/api/v1/auth/me'), 401, PROBLEM_TYPES.unauthenticated);
      const got = await t.admin.get(`/api/v1/api-keys/${created.id}`).expect(200);
      expect(got.body.revokedAt).not.toBeNull();
      // Revoking again changes nothing.
      await t.admin.delete(`/api/v1/api-keys/${created.id}`).expect(204);
      expectProblem(await t.admin.delete(`/api/v1/api-keys/00000000-0000-4000-8000-000000000000`), 404);
    });

    it('takes expiresAt only as an RFC 3339 date-time with Z or an offset, in the future', async () => {
      const message = 'must be an RFC 3339 date-time with Z or an offset, such as 2030-01-01T00:00:00Z';
      for (const [expiresAt, expected] of [
        ['2024-W01', message],
        ['2031-01-01T10:00', message],
        ['2031-01-01', message],
        ['-2031-01-01', message],
        ['+002031-01-01T00:00:00Z', message],
        ['2031-02-30T00:00:00Z', message],
        ['2031-01-01T24:00:00Z', message],
        ['2031-01-01T10:00:00+24:00', message],
        ['9999-12-31T23:59:59-23:59', message],
        [20310101, message],
        ['2020-01-01T00:00:00Z', 'must be in the future'],
        [new Date(Date.now() - 1000).toISOString(), 'must be in the future'],
      ] as const) {
        const res = await t.admin
          .post('/api/v1/api-keys')
          .send({ name: `Bad expiry ${unique()}`, scope: 'read-only', expiresAt });
        expect([expiresAt, res.status, res.body.errors]).toEqual([
          expiresAt,
          400,
          [{ field: 'expiresAt', message: expected }],
        ]);
        expectProblem(res, 400);
      }
      // An offset names the instant it says, whatever the server's zone.
      const withOffset = await createKey('read-only', { expiresAt: '2031-01-01T10:00:00+05:00' });
      expect((withOffset as unknown as { expiresAt: string }).expiresAt).toBe('2031-01-01T05:00:00.000Z');
      const zulu = await createKey('read-only', { expiresAt: '2031-01-01t10:00:00.5z' });
      expect((zulu as unknown as { expiresAt: string }).expiresAt).toBe('2031-01-01T10:00:00.500Z');
    });

    it('refuses a key after its expiry', async () => {
      const created = await createKey('read-only', { expiresAt: new Date(Date.now() + 60_000).toISOString() });
      const key = clientFor(t.http, created.key);
      await key.get('/api/v1/auth/me').expect(200);
      await t.dataSource.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        created.id,
      ]);
      expectProblem(await key.get('/api/v1/auth/me'), 401);
    });
  });
});
