import { secretHash } from '#access';
import { type Role, roleAtLeast } from '#common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PROBLEM_TYPES } from '../apps/api/src/http/problem-details.js';
import {
  createCase,
  createEvent,
  createHearing,
  createOrganization,
  createPerson,
  createSource,
  personBody,
} from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Who may call what, checked on every operation of the OpenAPI document (so a new route is
 * covered as soon as it exists): without valid credentials 401, with too small a role (or API
 * key scope) 403, with enough of one the route is reached. Operations documented as public
 * (`security: []`: login, and the links in alert emails) are reached without credentials.
 */

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
const METHODS: Method[] = ['get', 'post', 'patch', 'put', 'delete'];

interface Operation {
  method: Method;
  /** As documented: `/api/v1/persons/{id}`. */
  template: string;
  /** With the ids of records made for this file: `/api/v1/persons/8f0c...`. */
  path: string;
  /** `GET /api/v1/persons/{id}`: how failures are reported. */
  name: string;
}

type Outcome = 401 | 403 | 200;

interface Mismatch {
  operation: string;
  expected: Outcome;
  status: number;
  problem?: string;
}

const API_PREFIX = '/api/v1/';
const LOGIN = 'POST /api/v1/auth/login';
/** Every operation that needs no sign-in (documented with `security: []`). */
const PUBLIC_OPERATIONS = [
  LOGIN,
  'GET /api/v1/public/cases/{caseId}',
  'POST /api/v1/public/cases/{caseId}/follow',
  'GET /api/v1/public/subscriptions/confirm',
  'POST /api/v1/public/subscriptions/confirm',
  'GET /api/v1/public/unsubscribe',
  'POST /api/v1/public/unsubscribe',
];
/**
 * Every signed-in user may sign out, change their own password, and ask for an export (of what
 * they may read; internal reports are refused to viewers by the export rules, tested elsewhere).
 */
const SELF_SERVICE = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password', 'POST /api/v1/exports']);
/**
 * Reads of one export or import answer only its requester and admins (404 for anyone else, tested
 * with the exports and imports); an export's file exists once a worker has rendered it, and none
 * runs here.
 */
const OWNER_ONLY = new Set(['GET /api/v1/exports/{id}', 'GET /api/v1/exports/{id}/file', 'GET /api/v1/imports/{id}']);
const EXPORT_FILE = 'GET /api/v1/exports/{id}/file';
/** Resources only admins may touch, whatever the method. */
const ADMIN_RESOURCES = new Set(['users', 'api-keys', 'access-grants']);

const resourceOf = (template: string) => template.slice(API_PREFIX.length).split('/')[0]!;

/** The least role an operation needs, by the rules of the issue (not read from the code). */
/** Reads that are credentials themselves, for editors only. */
const EDITOR_READS = new Set(['GET /api/v1/advocates/{id}/calendar-url']);

function requiredRole(op: Operation): Role {
  if (ADMIN_RESOURCES.has(resourceOf(op.template))) return 'admin';
  if (EDITOR_READS.has(op.name)) return 'editor';
  if (op.method === 'get' || SELF_SERVICE.has(op.name)) return 'viewer';
  return 'editor';
}

interface OpenApiDocument {
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Partial<Record<Method, { security?: Array<Record<string, string[]>> }>>>;
}

describe('access matrix over every documented operation', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let operations: Operation[];

  /** Principals by name; `null` sends no Authorization header. */
  const tokens: Record<string, string | null> = {};

  /** Documented as needing no credentials (`security: []`). */
  const isPublic = (op: Operation) => doc.paths[op.template]![op.method]!.security?.length === 0;
  /** What an anonymous or badly authenticated request gets: 401, except on public operations. */
  const unauthenticated = (op: Operation): Outcome | null => (isPublic(op) ? null : 401);

  /** Sends `op` with a bearer secret (an empty body for writes, no If-Match). */
  function send(op: Operation, secret: string | null, authorization?: string) {
    let req = request(t.http)[op.method](op.path);
    if (authorization) req = req.set('Authorization', authorization);
    else if (secret) req = req.set('Authorization', `Bearer ${secret}`);
    if (op.method !== 'get' && op.method !== 'delete') req = req.send({});
    return req;
  }

  /**
   * Sends every operation for which `expect` gives an outcome and collects those that answer
   * otherwise; 401 and 403 must also be problem+json (401 with WWW-Authenticate).
   */
  async function runMatrix(
    secret: string | null,
    expected: (op: Operation) => Outcome | null,
    authorization?: string,
  ): Promise<{ mismatches: Mismatch[]; checked: number }> {
    const mismatches: Mismatch[] = [];
    let checked = 0;
    for (const op of operations) {
      const outcome = expected(op);
      if (outcome === null) continue;
      checked++;
      const res = await send(op, secret, authorization);
      const body = res.body as { status?: number; type?: string; detail?: string };
      const problem = `${String(body.type)}: ${String(body.detail)}`;
      if (res.status !== outcome) {
        mismatches.push({ operation: op.name, expected: outcome, status: res.status, problem });
        continue;
      }
      if (outcome === 200) continue;
      const wellFormed =
        /^application\/problem\+json/.test(String(res.headers['content-type'])) &&
        body.status === outcome &&
        body.type === (outcome === 401 ? PROBLEM_TYPES.unauthenticated : PROBLEM_TYPES.forbidden) &&
        (outcome !== 401 || /^Bearer /.test(String(res.headers['www-authenticate'])));
      if (!wellFormed) mismatches.push({ operation: op.name, expected: outcome, status: res.status, problem });
    }
    return { mismatches, checked };
  }

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await request(t.http).get('/api/docs-json').expect(200)).body as OpenApiDocument;

    // A record of every kind, so that allowed reads answer 200 and refused writes would have
    // had something to change.
    // Public, so that its public dossier can be rendered; with a campaign to read.
    const person = await createPerson(t, personBody(' matrix', { visibility: 'public' }));
    await t.admin.put(`/api/v1/persons/${person.id}/campaign`).send({ headline: 'Matrix campaign' }).expect(201);
    const kase = await createCase(t, {
      title: 'Matrix case',
      stage: 'investigation',
      participants: [{ personId: person.id, role: 'defendant' }],
    });
    const hearing = await createHearing(t, kase.id, { startsAt: '2031-05-05T10:00' });
    const advocate = await t.admin
      .post('/api/v1/advocates')
      .send({ name: 'Matrix advocate', email: 'matrix-advocate@example.org', timeZone: 'Asia/Almaty' })
      .expect(201);
    const subscription = await t.admin
      .post('/api/v1/subscriptions')
      .send({ advocateId: (advocate.body as { id: string }).id, caseId: kase.id })
      .expect(201);
    const custody = await t.admin
      .post(`/api/v1/persons/${person.id}/custody-events`)
      .send({ status: 'arrested', from: { date: '2022-01-06', precision: 'day' } })
      .expect(201);
    const note = await t.admin.post(`/api/v1/persons/${person.id}/notes`).send({ body: 'Matrix note' }).expect(201);
    const targetUser = await t.createUser('viewer', 'Matrix target');
    const targetKey = await t.admin
      .post('/api/v1/api-keys')
      .send({ name: 'Matrix target key', scope: 'read-only' })
      .expect(201);
    const grant = await t.admin
      .post('/api/v1/access-grants')
      .send({ userId: targetUser.id, personId: person.id })
      .expect(201);
    const ids: Record<string, string> = {
      persons: person.id,
      cases: kase.id,
      hearings: hearing.id,
      'custody-events': (custody.body as { id: string }).id,
      notes: (note.body as { id: string }).id,
      events: (await createEvent(t)).id,
      organizations: (await createOrganization(t)).id,
      sources: (await createSource(t)).id,
      users: targetUser.id,
      'api-keys': (targetKey.body as { id: string }).id,
      'access-grants': (grant.body as { id: string }).id,
      advocates: (advocate.body as { id: string }).id,
      subscriptions: (subscription.body as { id: string }).id,
      exports: (
        await t.admin.post('/api/v1/exports').send({ kind: 'dossier', personId: person.id, format: 'json' }).expect(202)
      ).body.id as string,
      // A dry run: whichever worker takes it writes nothing.
      imports: (
        await t.admin
          .post('/api/v1/imports')
          .field('dryRun', 'true')
          .attach('file', Buffer.from('name\nMatrix Import\n'), 'matrix.csv')
          .expect(202)
      ).body.id as string,
    };

    operations = Object.entries(doc.paths)
      .filter(([template]) => template.startsWith(API_PREFIX))
      .flatMap(([template, item]) =>
        METHODS.filter((method) => item[method] !== undefined).map((method) => ({
          method,
          template,
          // A route added later gets a random id: the guard answers before the id is looked up.
          path: template.replace(/\{[^}]+\}/g, () => ids[resourceOf(template)] ?? randomUUID()),
          name: `${method.toUpperCase()} ${template}`,
        })),
      );

    // Principals. Users whose tokens stop working are editors, never admins, so that no extra
    // active admin appears in the shared database.
    tokens.anonymous = null;
    tokens.viewer = t.viewer.token;
    tokens.editor = t.editor.token;
    tokens.admin = t.admin.token;
    for (const scope of ['read-only', 'read-write']) {
      const key = await t.admin
        .post('/api/v1/api-keys')
        .send({ name: `Matrix ${scope} key`, scope })
        .expect(201);
      tokens[scope] = (key.body as { key: string }).key;
    }

    const expired = await t.createUser('editor', 'Matrix expired');
    await t.dataSource.query(
      `UPDATE access_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [secretHash(expired.client.token)],
    );
    tokens.expired = expired.client.token;

    const signedOut = await t.createUser('editor', 'Matrix signed out');
    await signedOut.client.post('/api/v1/auth/logout').expect(204);
    tokens.revoked = signedOut.client.token;

    const deactivated = await t.createUser('editor', 'Matrix deactivated');
    await t.admin.delete(`/api/v1/users/${deactivated.id}`).set('If-Match', '"1"').expect(204);
    tokens.deactivated = deactivated.client.token;
  });

  afterAll(async () => {
    await t.close();
  });

  it('reads a document with enough operations that the matrix cannot pass vacuously', () => {
    const names = operations.map((op) => op.name);
    expect(operations.length).toBeGreaterThanOrEqual(70);
    expect(operations.filter((op) => op.method === 'get').length).toBeGreaterThanOrEqual(30);
    expect(operations.filter((op) => op.method !== 'get').length).toBeGreaterThanOrEqual(35);
    expect(operations.filter((op) => requiredRole(op) === 'admin').length).toBeGreaterThanOrEqual(13);
    expect(names).toEqual(
      expect.arrayContaining([
        LOGIN,
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/password',
        'GET /api/v1/auth/me',
        'POST /api/v1/users',
        'DELETE /api/v1/users/{id}',
        'POST /api/v1/api-keys',
        'POST /api/v1/access-grants',
        'DELETE /api/v1/access-grants/{id}',
        'POST /api/v1/persons',
        'PATCH /api/v1/persons/{id}',
        'POST /api/v1/persons/{id}/notes',
        'GET /api/v1/notes/{id}',
        'PATCH /api/v1/custody-events/{id}',
        'POST /api/v1/cases/{id}/hearings',
        'DELETE /api/v1/hearings/{id}',
        'GET /api/v1/sources/{id}/history',
        'POST /api/v1/advocates',
        'PATCH /api/v1/advocates/{id}',
        'POST /api/v1/advocates/{id}/webhook-secret',
        'GET /api/v1/advocates/{id}/calendar-url',
        'POST /api/v1/subscriptions',
        'DELETE /api/v1/subscriptions/{id}',
        ...PUBLIC_OPERATIONS,
      ]),
    );
    // Every documented path template had its ids replaced.
    expect(operations.filter((op) => op.path.includes('{'))).toEqual([]);
  });

  it('documents bearer authentication for every operation but login and the public alert links', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    const unsecured = operations.filter(isPublic);
    expect(unsecured.map((op) => op.name).sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    // The calendar feeds, outside /api, are public too (their URL is the credential).
    expect(doc.paths['/calendar/{token}.ics']?.get?.security).toEqual([]);
    expect(doc.paths['/calendar/cases/{caseId}.ics']?.get?.security).toEqual([]);
  });

  it('reaches the public operations without credentials (never 401 or 403)', async () => {
    const answers: Array<{ operation: string; status: number }> = [];
    for (const op of operations.filter(isPublic))
      answers.push({ operation: op.name, status: (await send(op, null)).status });
    expect(answers).toHaveLength(PUBLIC_OPERATIONS.length);
    expect(answers.filter((a) => a.status === 401 || a.status === 403 || a.status >= 500)).toEqual([]);
  });

  it('leaves health and the API documentation public', async () => {
    await request(t.http).get('/api/health').expect(200);
    await request(t.http).get('/api/docs-json').expect(200);
  });

  it('answers 401 problem+json with WWW-Authenticate to anonymous requests on every operation but the public ones', async () => {
    const { mismatches, checked } = await runMatrix(null, unauthenticated);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(operations.length - PUBLIC_OPERATIONS.length);
  });

  it.each([
    ['an unknown session token', 'Bearer cts_not-a-real-token'],
    ['an unknown API key', 'Bearer ctk_not-a-real-key'],
    ['a secret of neither kind', 'Bearer hello'],
    ['another scheme', 'Basic YWRtaW5AZXhhbXBsZS5vcmc6cGFzc3dvcmQ='],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 on every operation to %s', async (_label, authorization) => {
    const { mismatches, checked } = await runMatrix(null, unauthenticated, authorization);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(operations.length - PUBLIC_OPERATIONS.length);
  });

  it.each([
    ['an expired token', 'expired'],
    ['a token ended by logout', 'revoked'],
    ["a deactivated user's token", 'deactivated'],
  ])('answers 401 on every operation to %s', async (_label, principal) => {
    const { mismatches, checked } = await runMatrix(tokens[principal]!, unauthenticated);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(operations.length - PUBLIC_OPERATIONS.length);
  });

  /**
   * What a principal acting with `role` gets: 403 where the role is too small, 200 on the reads
   * it may make. Writes it may make are covered by the feature tests (they need real bodies).
   */
  const roleOutcome =
    (role: Role, options: { apiKey?: boolean } = {}) =>
    (op: Operation): Outcome | null => {
      if (isPublic(op)) return null;
      // API keys have no password and no session; see the dedicated tests below.
      if (options.apiKey && SELF_SERVICE.has(op.name)) return null;
      if (!roleAtLeast(role, requiredRole(op))) return 403;
      if (OWNER_ONLY.has(op.name)) return null;
      return op.method === 'get' ? 200 : null;
    };

  it('refuses a viewer every write but logout and password change (403), and every admin route', async () => {
    const { mismatches, checked } = await runMatrix(tokens.viewer!, roleOutcome('viewer'));
    expect(mismatches).toEqual([]);
    const refused = operations.filter((op) => roleOutcome('viewer')(op) === 403);
    expect(refused.length).toBeGreaterThanOrEqual(40);
    expect(refused.map((op) => op.name)).not.toContain('POST /api/v1/auth/logout');
    expect(checked).toBeGreaterThanOrEqual(70);
  });

  it('refuses an editor every /users, /api-keys and /access-grants operation (403) and lets it read the rest', async () => {
    const { mismatches, checked } = await runMatrix(tokens.editor!, roleOutcome('editor'));
    expect(mismatches).toEqual([]);
    const refused = operations.filter((op) => roleOutcome('editor')(op) === 403);
    expect(refused.every((op) => ADMIN_RESOURCES.has(resourceOf(op.template)))).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(13);
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('refuses a read-only API key every write and every admin route (403), and lets it read the rest', async () => {
    const { mismatches, checked } = await runMatrix(tokens['read-only']!, roleOutcome('viewer', { apiKey: true }));
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(70);
  });

  it('refuses a read-write API key every admin route (403), and lets it read the rest', async () => {
    const { mismatches, checked } = await runMatrix(tokens['read-write']!, roleOutcome('editor', { apiKey: true }));
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('lets an admin read every documented GET route (200)', async () => {
    const { mismatches, checked } = await runMatrix(tokens.admin!, (op) =>
      op.method === 'get' && !isPublic(op) && op.name !== EXPORT_FILE ? 200 : null,
    );
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('does not let an API key change a password, and logout does not end an API key', async () => {
    const key = tokens['read-write']!;
    const password = await request(t.http)
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${key}`)
      .send({ currentPassword: 'whatever it is', newPassword: 'correct horse battery staple 42' });
    expect(password.status).toBe(403);
    expect(password.headers['content-type']).toMatch(/^application\/problem\+json/);

    await request(t.http).post('/api/v1/auth/logout').set('Authorization', `Bearer ${key}`).expect(204);
    const me = await request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${key}`).expect(200);
    expect(me.body).toMatchObject({ kind: 'api-key', role: 'editor' });
  });

  it('left the records the refused requests named unchanged', async () => {
    // The target user, key and grant are still there and active after every refused write.
    const users = operations.find((op) => op.name === 'GET /api/v1/users/{id}')!;
    const user = await t.admin.get(users.path).expect(200);
    expect(user.body).toMatchObject({ active: true, version: 1, role: 'viewer' });
    const keys = operations.find((op) => op.name === 'GET /api/v1/api-keys/{id}')!;
    const key = await t.admin.get(keys.path).expect(200);
    expect(key.body).toMatchObject({ revokedAt: null });
    const person = operations.find((op) => op.name === 'GET /api/v1/persons/{id}')!;
    const got = await t.admin.get(person.path).expect(200);
    expect(got.body).toMatchObject({ version: 1 });
  });
});
