import { LOG_DESTINATION } from '#logging';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp } from '../apps/api/src/setup.js';
import { personBody } from './support/fixtures.js';
import { type Client, clientFor, migrateTestDatabase } from './support/test-app.js';

type HttpServer = Parameters<typeof request>[0];

interface LogLine {
  level: number;
  msg?: string;
  req?: { url?: string; method?: string };
  res?: { statusCode?: number };
  [key: string]: unknown;
}

const tag = () => randomBytes(6).toString('hex');

/**
 * Every line the API logs, at the most verbose level, while it handles sign-ins, passwords,
 * API keys, restricted records and failing requests: none may hold a secret or restricted text.
 */
describe('logging', () => {
  const raw: string[] = [];
  /** Where pino writes instead of stdout (LoggingModule's LOG_DESTINATION provider, overridden). */
  const sink: DestinationStream = { write: (line: string) => void raw.push(line) };
  const previousLevel = process.env.LOG_LEVEL;
  let app: NestExpressApplication;
  let http: HttpServer;
  let admin: Client;
  /** Everything that must never reach a log line. */
  const secrets = new Map<string, string>();
  const secret = (name: string, value: string) => {
    secrets.set(name, value);
    return value;
  };

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'trace';
    await migrateTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(LOG_DESTINATION)
      .useValue(sink)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
    configureApp(app);
    await app.init();
    http = app.getHttpServer() as HttpServer;
  });
  afterAll(async () => {
    await app?.close();
    process.env.LOG_LEVEL = previousLevel;
  });

  const login = (email: string, password: string) => request(http).post('/api/v1/auth/login').send({ email, password });

  it('logs the requests and events of the scenario, none of them holding a secret or restricted text', async () => {
    const adminEmail = process.env.ADMIN_EMAIL!;
    secret('admin password', process.env.ADMIN_PASSWORD!);
    secret('data encryption key', process.env.DATA_ENCRYPTION_KEY!.split(':')[1]!);

    // Sign-in: a success, a wrong password, an unknown email, and a password typed into the email field.
    const signedIn = await login(adminEmail, process.env.ADMIN_PASSWORD!).expect(200);
    admin = clientFor(http, secret('admin token', signedIn.body.accessToken));
    await login(adminEmail, secret('wrong password', `wrong-password-${tag()}`)).expect(401);
    await login(`nobody-${tag()}@example.org`, secret('password of an unknown email', `unknown-${tag()}`)).expect(401);
    await login(secret('password in the email field', `pw-in-email-${tag()}`), 'x').expect(401);

    // A user created with a password, who signs in and changes it.
    const email = `logged-${tag()}@example.org`;
    const password = secret('new user password', `steppe-lantern-${tag()}`);
    const user = await admin
      .post('/api/v1/users')
      .send({ email, displayName: 'Logged editor', role: 'editor', password })
      .expect(201);
    // Refused as too weak: it is the email itself.
    const weakEmail = `weak-${tag()}@example.org`;
    const weak = await admin
      .post('/api/v1/users')
      .send({
        email: weakEmail,
        displayName: 'Weak',
        role: 'viewer',
        password: secret('weak password', `${weakEmail}!`),
      })
      .expect(400);
    expect(weak.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/too easy to guess/) }]);
    const newPassword = secret('changed password', `quince-orbit-${tag()}`);
    const own = clientFor(
      http,
      secret('first user token', (await login(email, password).expect(200)).body.accessToken),
    );
    await own
      .post('/api/v1/auth/password')
      .send({ currentPassword: secret('wrong current password', `not-it-${tag()}`), newPassword })
      .expect(400);
    await own.post('/api/v1/auth/password').send({ currentPassword: password, newPassword }).expect(204);
    // A password set by an admin ends the user's sessions; they sign in with it.
    const adminSet = secret('password set by the admin', `lantern-steppe-${tag()}`);
    await admin
      .patch(`/api/v1/users/${user.body.id}`)
      .set('If-Match', `"${user.body.version + 1}"`)
      .send({ password: adminSet })
      .expect(200);
    await own.get('/api/v1/auth/me').expect(401);
    const editor = clientFor(http, secret('user token', (await login(email, adminSet).expect(200)).body.accessToken));

    // An API key, used for a read and refused a write.
    const key = await admin
      .post('/api/v1/api-keys')
      .send({ name: `Logged key ${tag()}`, scope: 'read-only' })
      .expect(201);
    const integration = clientFor(http, secret('API key', key.body.key));
    await integration.get('/api/v1/persons').expect(200);
    await integration
      .post('/api/v1/organizations')
      .send({ names: ['Refused'], kind: 'ngo' })
      .expect(403);
    // Unknown and malformed bearer secrets.
    await clientFor(http, secret('unknown session token', `cts_${tag()}${tag()}`))
      .get('/api/v1/persons')
      .expect(401);
    await clientFor(http, secret('unknown API key', `ctk_${tag()}${tag()}`))
      .get('/api/v1/persons')
      .expect(401);

    // Restricted records with contact details and notes.
    const restrictedName = secret('restricted name', `Скрытый Свидетель ${tag()}`);
    const contact = secret('person contact details', `Signal: +7 701 ${tag()}`);
    const person = await admin
      .post('/api/v1/persons')
      .send({
        names: [{ value: restrictedName, preferred: true }],
        visibility: 'restricted',
        contactDetails: contact,
        notes: secret('restricted person notes', `held incommunicado ${tag()}`),
        reason: secret('restricted reason', `family asked ${tag()}`),
      })
      .expect(201);
    await admin
      .patch(`/api/v1/persons/${person.body.id}`)
      .set('If-Match', '"1"')
      .send({ contactDetails: secret('changed contact details', `Telegram: @kin_${tag()}`) })
      .expect(200);
    const note = await admin
      .post(`/api/v1/persons/${person.body.id}/notes`)
      .send({ body: secret('restricted note', `Лично: адвокат ${tag()}`), visibility: 'restricted' })
      .expect(201);
    await admin.get(`/api/v1/notes/${note.body.id}`).expect(200);
    await admin.get(`/api/v1/persons/${person.body.id}/history`).expect(200);
    await admin
      .post('/api/v1/sources')
      .send({ publisher: 'Private', title: 'Witness', contactDetails: secret('source contact', `Signal: ${tag()}`) })
      .expect(201);
    const internal = await admin
      .post('/api/v1/persons')
      .send(personBody(` logged ${tag()}`))
      .expect(201);
    await admin
      .post(`/api/v1/persons/${internal.body.id}/notes`)
      .send({ body: secret('internal note', `internal note ${tag()}`) })
      .expect(201);
    // Readers without clearance are refused; the refusal does not log the content either.
    await editor.get(`/api/v1/persons/${person.body.id}`).expect(404);
    await editor.get(`/api/v1/notes/${note.body.id}`).expect(404);

    // Errors that echo nothing back (and are not 500s): validation, unknown fields, bad JSON,
    // a value PostgreSQL cannot store, a bad reason header, a query string, a stale version.
    const invalid = secret('value in an invalid field', `invalid-${tag()}`);
    await admin
      .post('/api/v1/persons')
      .send({ names: [{ value: 'X', preferred: true }], country: invalid, contactDetails: contact })
      .expect(400);
    await admin
      .post('/api/v1/persons')
      .send({ ...personBody(), unknownField: secret('value in an unknown field', `unknown-field-${tag()}`) })
      .expect(400);
    await admin
      .post('/api/v1/persons')
      .set('Content-Type', 'application/json')
      .send(`{"names":[{"value":"${secret('value in broken JSON', `broken-${tag()}`)}"`)
      .expect(400);
    await admin
      .post('/api/v1/persons')
      .send({ names: [{ value: `nul\u0000${secret('value with U+0000', `nul-${tag()}`)}`, preferred: true }] })
      .expect(400);
    await admin
      .patch(`/api/v1/persons/${internal.body.id}`)
      .set('If-Match', '"1"')
      .set('X-Change-Reason', `%E0%A4%A${secret('bad reason header', `reason-${tag()}`)}`)
      .send({ country: 'KG' })
      .expect(400);
    await admin
      .get('/api/v1/persons')
      .query({ search: secret('value in a query string', `query-${tag()}`) })
      .expect(400);
    await admin
      .patch(`/api/v1/persons/${internal.body.id}`)
      .set('If-Match', '"7"')
      .send({ notes: secret('notes of a stale write', `stale-${tag()}`) })
      .expect(412);
    await request(http).get('/api/v1/persons').expect(401);
    await admin.post('/api/v1/auth/logout').expect(204);
    await admin.get('/api/v1/persons').expect(401);

    // Lines were captured: the run is not vacuous.
    const lines = raw.map((line) => JSON.parse(line) as LogLine);
    expect(raw.length).toBeGreaterThan(40);
    expect(raw.every((line) => line.endsWith('\n'))).toBe(true);
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('failed login');
    expect(messages).toContain('signed in');
    expect(lines.filter((l) => l.msg === 'failed login')).toHaveLength(3);
    expect(lines.find((l) => l.msg === 'failed login')).toMatchObject({ level: 40 });
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => l.res?.statusCode)).toEqual(
      expect.arrayContaining([200, 201, 204, 400, 401, 403, 404, 412]),
    );
    expect(completed.some((l) => l.req?.url === '/api/v1/auth/login' && l.res?.statusCode === 401)).toBe(true);
    // Refused input is logged as a warning with the request (but not the body parser's refusals,
    // which are answered before the logger's middleware runs).
    expect(lines.some((l) => l.req?.url === '/api/v1/persons' && l.res?.statusCode === 400 && l.level === 40)).toBe(
      true,
    );
    // Nothing in the scenario is a server error.
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);

    // No line holds any secret or restricted text, nor the Authorization header.
    const everything = raw.join('');
    for (const [name, value] of secrets) {
      expect({ name, logged: everything.includes(value) }).toEqual({ name, logged: false });
    }
    expect(everything).not.toMatch(/Bearer /i);
    expect(everything).not.toContain('enc:v1:');
    expect(everything).not.toContain('$argon2id$');
    expect(everything).not.toMatch(/"(password|newPassword|currentPassword|contactDetails|body)":/);
  });
});
