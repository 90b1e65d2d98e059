import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  createCase,
  createEvent,
  createHearing,
  createOrganization,
  createPerson,
  createSource,
  personBody,
  recordOfEachKind,
  UNKNOWN_ID,
} from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A value nested `depth` levels deep: {a: {a: ... 'x'}}. */
function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/** Bodies that are wrong in every way we can think of; none may cause a 5xx. */
const HOSTILE_BODIES: unknown[] = [
  {},
  { names: null, title: null, stage: null, startsAt: null, timeZone: null, status: null, from: null, kind: null },
  { names: 'Zhanbolat Mamay', title: 42, stage: true, startsAt: 20240315, timeZone: 6, publisher: [] },
  { names: {}, participants: {}, charges: 'many', sourceIds: 'abc', outcome: [] },
  { names: [null], participants: [null], charges: [null], designations: [null] },
  { names: [[]], participants: [[]], charges: [[1, 2]], designations: [['x']] },
  { names: [{ value: null }], participants: [{ personId: 1, role: 2 }], charges: [{ description: {} }] },
  { names: [{ value: { $ne: '' } }], participants: [{ personId: { $gt: '' }, role: 'defendant' }] },
  { names: [{ value: 'A', preferred: 'yes', script: 1, lang: [] }] },
  { charges: [{ description: 'x', maxSentence: { years: 1e308, months: -1, days: 1.5 } }], title: 't', stage: 'trial' },
  { charges: [{ description: 'x', maxSentence: [10] }], title: 't', stage: 'trial' },
  { charges: [{ description: 'x', maxSentence: 'ten years' }], title: 't', stage: 'trial' },
  { outcome: { verdict: 'convicted', date: 'June', sentence: 'seven years' } },
  { outcome: { verdict: ['convicted'], date: { date: ['2024'], precision: 'year' } } },
  { birthDate: { date: '2022-02-30', precision: 'day' }, from: { date: 2022, precision: ['year'] } },
  { birthDate: { date: '2022', precision: { $ne: 1 } }, start: [], end: 'soon', published: 12 },
  { birthDate: '1988', from: '2022-03', status: 'arrested' },
  { from: { date: '99999', precision: 'year' }, status: 'arrested' },
  { startsAt: '9'.repeat(300), timeZone: 'Asia/Almaty' },
  { startsAt: '2024-03-15T10:00:00.123456789Z', timeZone: 'Asia/Almaty' },
  { startsAt: '2024-03-15T10:00:00+99:99', timeZone: 'Asia/Almaty' },
  { startsAt: '0000-01-01T00:00', timeZone: 'Asia/Almaty' },
  { startsAt: '9999-12-31T23:59:59Z', timeZone: 'Pacific/Kiritimati' },
  { startsAt: '2024-03-15T10:00', timeZone: 'Asia/Almaty\u0000' },
  { startsAt: '2024-03-15T10:00', timeZone: '../../etc/passwd' },
  { status: 'postponed', postponedToId: 'not-a-uuid' },
  { status: 'postponed', postponedToId: UNKNOWN_ID },
  { postponedToId: null, court: null, courtroom: null, outcome: null },
  { sourceIds: [UNKNOWN_ID, UNKNOWN_ID] },
  { sourceIds: Array.from({ length: 300 }, () => UNKNOWN_ID) },
  { eventId: UNKNOWN_ID, title: 'x', stage: 'trial' },
  { country: ['KZ'], visibility: { level: 'public' }, kind: ['ngo'], url: { href: 'https://x' } },
  { country: 'ZZ', visibility: 'secret', kind: 'cult', url: 'file:///etc/passwd', language: 'xx-INVALID-' },
  { notes: 'x\u0000y', summary: 'a\u0000', title: 'null\u0000byte', publisher: '\u0000' },
  { notes: '\ud800 lone surrogate', title: '\udfff' },
  { externalId: '', names: [''], title: '' },
  { externalId: 'x'.repeat(201), title: 'x'.repeat(1001) },
  { notes: nested(2000) },
  { names: nested(500), charges: nested(500) },
  { version: 99, id: UNKNOWN_ID, seq: 1, createdAt: 'now', archivedAt: null },
  { limit: 1e308, cursor: {} },
  // Valid but for a NUL character (which PostgreSQL text cannot hold), so that it reaches the database.
  ...['notes', 'note', 'summary', 'court', 'courtroom', 'outcome', 'title', 'externalId'].map((f) => ({
    [f]: 'x\u0000',
  })),
  { occupations: ['a\u0000'] },
  { names: ['a\u0000'] },
  { names: [{ value: 'a\u0000' }] },
  { names: ['a\u0000'], kind: 'ngo' },
  { publisher: 'x\u0000', title: 'x\u0000' },
  { title: 'x\u0000', stage: 'trial' },
  { status: 'arrested', from: { date: '2022', precision: 'year' }, place: 'x\u0000' },
  { startsAt: '2024-03-15T10:00', timeZone: 'Asia/Almaty', court: 'x\u0000' },
];

/** Raw texts sent as application/json: not objects, or JSON that only a lenient parser would read. */
const HOSTILE_TEXTS = [
  'null',
  '[]',
  '[1,2,3]',
  '"a string"',
  '12345',
  'true',
  '{"years": 1e400}',
  '{"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}}',
  '{"names": [{"value": "A"}], "names": 5}',
  '{"title": "x", "stage": "trial"',
  "{'title': 'x'}",
  '\u0000',
];

describe('platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports health with the database and Redis up', async () => {
    const res = await request(t.http).get('/api/health');
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 200,
      body: { status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } },
    });
  });

  it('serves an OpenAPI document listing every resource', async () => {
    const res = await request(t.http).get('/api/docs-json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info).toMatchObject({ title: 'Case tracker for political prisoners', version: '1' });
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/persons',
        '/api/v1/persons/{id}',
        '/api/v1/persons/{id}/custody-events',
        '/api/v1/cases',
        '/api/v1/cases/{id}',
        '/api/v1/cases/{id}/hearings',
        '/api/v1/hearings',
        '/api/v1/hearings/{id}',
        '/api/v1/events',
        '/api/v1/events/{id}',
        '/api/v1/organizations',
        '/api/v1/organizations/{id}',
        '/api/v1/sources',
        '/api/v1/sources/{id}',
        '/api/health',
      ]),
    );
    // Generated controllers document their bodies too.
    const createEvent = res.body.paths['/api/v1/events'].post;
    expect(JSON.stringify(createEvent.requestBody)).toContain('CreateEventDto');
  });

  it('documents every response field the API actually returns, and no field it does not', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      components: {
        schemas: Record<string, { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }> }>;
      };
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>
      >;
    };
    const schemaOf = (path: string, method: string, status: string) => {
      const ref = doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema.$ref!;
      return doc.components.schemas[ref.split('/').pop()!]!;
    };
    const documented = (path: string, method: string, status = '200') =>
      Object.keys(schemaOf(path, method, status).properties ?? {}).sort();

    // Restricted fields filled in, so that the admin reads them with values rather than as null.
    const event = await createEvent(t);
    const source = await createSource(t, { contactDetails: 'Reporter: +7 700 000 0000' });
    const organization = await createOrganization(t);
    const person = await createPerson(t, personBody(' schema', { contactDetails: 'Sister: +7 701 000 0000' }));
    const kase = await createCase(t, {
      title: 'Schema case',
      stage: 'trial',
      participants: [{ personId: person.id, role: 'defendant' }],
      charges: [{ description: 'x', maxSentence: { years: 1 } }],
    });
    const hearing = await createHearing(t, kase.id, { startsAt: '2031-01-01T10:00', timeZone: 'Asia/Almaty' });
    const custodyEvent = (
      await t.admin
        .post(`/api/v1/persons/${person.id}/custody-events`)
        .send({ status: 'arrested', from: { date: '2022-03', precision: 'month' } })
        .expect(201)
    ).body as { id: string };

    const personFile = (await t.admin.get(`/api/v1/persons/${person.id}`).expect(200)).body;
    expect(personFile.contactDetails).toBe('Sister: +7 701 000 0000');
    expect(Object.keys(personFile).sort()).toEqual(documented('/api/v1/persons/{id}', 'get'));
    const custody = personFile.custodyHistory[0];
    expect(Object.keys(custody).sort()).toEqual(
      Object.keys(doc.components.schemas.CustodyEventView!.properties!).sort(),
    );
    expect(Object.keys(personFile.currentCustody).sort()).toEqual(
      Object.keys(doc.components.schemas.CurrentCustodyView!.properties!).sort(),
    );
    expect(Object.keys(personFile.cases[0]).sort()).toEqual(
      Object.keys(doc.components.schemas.PersonCaseView!.properties!).sort(),
    );
    const caseBody = (await t.admin.get(`/api/v1/cases/${kase.id}`).expect(200)).body;
    expect(Object.keys(caseBody).sort()).toEqual(documented('/api/v1/cases/{id}', 'get'));
    expect(Object.keys(caseBody.nextHearing).sort()).toEqual(documented('/api/v1/hearings/{id}', 'get'));
    const hearingBody = (await t.admin.get(`/api/v1/hearings/${hearing.id}`).expect(200)).body;
    expect(Object.keys(hearingBody).sort()).toEqual(documented('/api/v1/hearings/{id}', 'get'));
    for (const [path, id] of [
      ['/api/v1/events/{id}', event.id],
      ['/api/v1/sources/{id}', source.id],
      ['/api/v1/organizations/{id}', organization.id],
      ['/api/v1/custody-events/{id}', custodyEvent.id],
    ] as const) {
      const body = (await t.admin.get(path.replace('{id}', id)).expect(200)).body;
      expect(Object.keys(body).sort()).toEqual(documented(path, 'get'));
    }
    expect((await t.admin.get(`/api/v1/sources/${source.id}`).expect(200)).body.contactDetails).toBe(
      'Reporter: +7 700 000 0000',
    );
    const list = doc.paths['/api/v1/persons']!.get!.responses['200']!.content!['application/json']!.schema as {
      properties?: { items?: { items?: { $ref?: string } } };
    };
    expect(list.properties?.items?.items?.$ref).toBe('#/components/schemas/PersonSummaryView');
  });

  it('serves the interactive documentation as HTML', async () => {
    const res = await request(t.http).get('/api/docs').redirects(2).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/swagger/i);
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const res = await t.admin.get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route GET /api/v1/nothing-here.',
      instance: '/api/v1/nothing-here',
    });
    const post = await request(t.http).post('/api/v2/persons').send({}).expect(404);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('gives every response an X-Request-Id and echoes a well-formed incoming one', async () => {
    const responses = [
      await request(t.http).get('/api/health'),
      await t.admin.get('/api/v1/persons').query({ limit: 1 }),
      await t.admin.get('/api/v1/nothing-here'),
      await t.admin.post('/api/v1/persons').send({ names: [] }),
      await t.admin.post('/api/v1/persons').set('content-type', 'application/json').send('{"names": ['),
      await t.admin.post('/api/v1/persons').send(personBody('', { notes: 'x'.repeat(1024 * 1024 + 10) })),
      await t.admin.get(`/api/v1/persons/${UNKNOWN_ID}`),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 400, 400, 413, 404]);
    for (const res of responses) expect(res.headers['x-request-id']).toMatch(UUID);
    expect(new Set(responses.map((r) => r.headers['x-request-id'])).size).toBe(responses.length);

    const echoed = await t.admin.get('/api/v1/nothing-here').set('X-Request-Id', 'client-req.42_a-b').expect(404);
    expect(echoed.headers['x-request-id']).toBe('client-req.42_a-b');
    expect(echoed.body.requestId).toBe('client-req.42_a-b');
    const echoedOnBadJson = await t.admin
      .post('/api/v1/persons')
      .set('X-Request-Id', 'bad-json-1')
      .set('content-type', 'application/json')
      .send('{')
      .expect(400);
    expect(echoedOnBadJson.headers['x-request-id']).toBe('bad-json-1');

    for (const given of ['has spaces in it', 'x'.repeat(101), '<script>', 'a;b']) {
      const res = await request(t.http).get('/api/health').set('X-Request-Id', given).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('answers a malformed percent-encoding in the URL with 400, not 500', async () => {
    for (const path of ['/api/v1/persons/%E0%A4%A', '/api/v1/persons/%', '/api/v1/cases/%ZZ/hearings']) {
      const res = await t.admin.get(path);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
    await t.admin.patch('/api/v1/hearings/%E0%A4%A').send({}).expect(400);
  });

  it('refuses a body nested deeper than any request needs with 400, before validation can overflow the stack', async () => {
    for (const depth of [40, 2000, 3000]) {
      const res = await t.admin.post('/api/v1/sources').send({ publisher: 'NRC', title: 'Deep', note: nested(depth) });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toBe('The request body is nested more than 32 levels deep.');
    }
    // Nesting that real requests use is fine.
    const ok = await t.admin
      .post('/api/v1/sources')
      .send({ publisher: 'NRC', title: 'Shallow', published: { date: '2023', precision: 'year' } })
      .expect(201);
    expect(ok.body.published).toEqual({ date: '2023', precision: 'year' });
    const shallowGarbage = await t.admin
      .post('/api/v1/sources')
      .send({ publisher: 'NRC', title: 'Deep', note: nested(20) })
      .expect(400);
    expect(shallowGarbage.body.errors).toContainEqual({ field: 'note', message: 'must be a string' });
    expect(shallowGarbage.body.errors.every((e: { field: string }) => e.field === 'note')).toBe(true);
  });

  it('refuses U+0000 and unpaired surrogates in bodies, queries and X-Change-Reason with 400 naming each field', async () => {
    const person = await createPerson(t, personBody(' nul'));
    const campaign = `/api/v1/persons/${person.id}/campaign`;
    const UNSTORABLE = 'must not contain U+0000 or an unpaired surrogate (U+D800 to U+DFFF)';
    const refused = async (res: request.Response, fields: string[]) => {
      expect([res.status, res.body.errors]).toEqual([400, fields.map((field) => ({ field, message: UNSTORABLE }))]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('urn:case-tracker:problem:validation');
    };
    for (const [method, path, body, fields] of [
      ['post', '/api/v1/sources', { publisher: 'NRC\u0000', title: 'T' }, ['publisher']],
      ['post', '/api/v1/sources', { publisher: 'NRC', title: '\ud800 lone', note: 'x\udfff' }, ['title', 'note']],
      ['post', '/api/v1/persons', { names: [{ value: 'Inga\u0000Imanbai' }] }, ['names[0].value']],
      ['patch', `/api/v1/persons/${person.id}`, { notes: 'a\u0000b' }, ['notes']],
      ['patch', `/api/v1/persons/${person.id}`, { notes: 'fine', reason: 'why\u0000' }, ['reason']],
      // Stored as jsonb, which refuses them too (PostgreSQL 22P05).
      ['put', campaign, { recipients: [{ name: 'x\u0000' }] }, ['recipients[0].name']],
      ['put', campaign, { copies: [{ name: 'ok' }, { name: 'x\ud800' }] }, ['copies[1].name']],
      ['put', campaign, { modelLetter: { salutation: 'Dear Sir,', facts: 'x\u0000' } }, ['modelLetter.facts']],
      [
        'put',
        campaign,
        { modelLetter: { salutation: 'Dear Sir,', facts: 'Facts.', requests: ['fine', 'x\u0000'] } },
        ['modelLetter.requests[1]'],
      ],
    ] as const) {
      // With the current version, so that only the text can be what is refused.
      await refused(await t.admin[method](path).set('If-Match', `"${person.version}"`).send(body), [...fields]);
    }
    // Fields of several kinds at once, with the other problems of the body.
    const mixed = await t.admin.post('/api/v1/persons').send({ names: [{ value: 'A\u0000' }], country: 'ZZ' });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'country', message: expect.any(String) },
        { field: 'names[0].value', message: UNSTORABLE },
      ]),
    );
    await refused(
      await t.viewer
        .post('/api/v1/exports')
        .send({ kind: 'campaign', format: 'csv', filter: { article: ['x\u0000'] } }),
      ['filter.article[0]'],
    );
    for (const [path, field] of [
      ['/api/v1/persons?q=%00', 'q'],
      ['/api/v1/persons?q=Mamay%00', 'q'],
      ['/api/v1/persons?article=%00', 'article'],
      ['/api/v1/persons?article=a&article=b%00', 'article[1]'],
      ['/api/v1/advocates?email=%00', 'email'],
    ] as const) {
      await refused(await t.admin.get(path), [field]);
    }
    await refused(
      await t.admin
        .patch(`/api/v1/persons/${person.id}`)
        .set('If-Match', '"1"')
        .set('X-Change-Reason', 'why%00')
        .send({ notes: 'x' }),
      ['X-Change-Reason'],
    );
    await refused(
      await t.admin.delete(`/api/v1/persons/${person.id}`).set('If-Match', '"1"').send({ reason: 'why\u0000' }),
      ['reason'],
    );
    const unchanged = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ version: 1, notes: null });
    await t.admin.get(campaign).expect(404);
  });

  it('refuses keys named like Object.prototype members as unknown fields, in bodies and queries', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
      const top = await t.admin.post('/api/v1/sources').send({ publisher: 'NRC', title: 'Proto', [key]: 1 });
      expect([key, top.status, top.body.errors]).toEqual([
        key,
        400,
        [{ field: key, message: `property ${key} should not exist` }],
      ]);
      const nested = await t.admin.post('/api/v1/persons').send(
        personBody(' proto', {
          names: [{ value: 'Inga Imanbai', preferred: true, [key]: 'x' }],
          birthDate: { date: '1990', precision: 'year', [key]: {} },
        }),
      );
      expect([key, nested.status, nested.body.errors]).toEqual([
        key,
        400,
        [
          { field: `names[0].${key}`, message: `property ${key} should not exist` },
          { field: `birthDate.${key}`, message: `property ${key} should not exist` },
        ],
      ]);
      const query = await t.admin.get(`/api/v1/persons?${key}=1`);
      expect([key, query.status, query.body.errors]).toEqual([
        key,
        400,
        [{ field: key, message: `property ${key} should not exist` }],
      ]);
    }
    // As any other unknown field is told.
    const unknown = await t.admin.get('/api/v1/persons?unknown=1');
    expect([unknown.status, unknown.body.errors]).toEqual([
      400,
      [{ field: 'unknown', message: 'property unknown should not exist' }],
    ]);
    for (const text of [
      '{"publisher": "NRC", "title": "Proto", "__proto__": {"admin": true}}',
      '{"publisher": "NRC", "title": "Proto", "published": {"date": "2020", "precision": "year", "__proto__": {}}}',
    ]) {
      const raw = await t.admin.post('/api/v1/sources').set('content-type', 'application/json').send(text);
      expect(raw.status).toBe(400);
      expect(raw.body.errors).toEqual([
        {
          field: text.includes('published') ? 'published.__proto__' : '__proto__',
          message: 'property __proto__ should not exist',
        },
      ]);
    }
    const listed = await t.admin.get('/api/v1/sources?limit=100').expect(200);
    expect(listed.body.items.filter((s: { title: string }) => s.title === 'Proto')).toEqual([]);
  });

  it('refuses a tampered cursor, or one of another list, with 400 naming the cursor', async () => {
    const person = await createPerson(t, personBody(' cursor'));
    const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const oneKey = [['abc'], [1.5], ['1.5'], ['99999999999999999999999'], ['9223372036854775808'], ['a\u0000']];
    const cases: Array<[string, unknown[]]> = [
      ...['/api/v1/persons', '/api/v1/cases', '/api/v1/sources', '/api/v1/events', '/api/v1/users'].flatMap((path) =>
        oneKey.map((values): [string, unknown[]] => [path, values]),
      ),
      ['/api/v1/hearings', ['not a date', 1]],
      ['/api/v1/hearings', ['2024-02-30T00:00:00.000Z', 1]],
      ['/api/v1/hearings', ['2024-01-01T00:00:00.000Z', '99999999999999999999999']],
      ['/api/v1/hearings', ['2024-01-01T00:00:00.000Z\u0000', 1]],
      [`/api/v1/persons/${person.id}/custody-events`, ['2022-02-30', 1, 1]],
      [`/api/v1/persons/${person.id}/custody-events`, ['2022-02-01', 1.5, 1]],
      [`/api/v1/persons/${person.id}/custody-events`, ['2022-02-01', 99999999999, 1]],
      [`/api/v1/persons/${person.id}/custody-events`, ['2022-02-01', 10, '99999999999999999999999']],
      // A person search cursor sent to another list, and tampered ones sent to the search.
      [`/api/v1/persons/${person.id}/custody-events`, ['w', '1.0000', '1']],
      ['/api/v1/hearings', ['w', '1']],
      ['/api/v1/persons?q=Zhanbolat%20Mamay', ['w', '1.0000', '99999999999999999999999']],
      ['/api/v1/persons?q=Zhanbolat%20Mamay', ['w', '1'.repeat(200), '1']],
      ['/api/v1/persons?q=Zhanbolat%20Mamay', ['2022-02-01', 1, 1]],
    ];
    for (const [path, values] of cases) {
      const res = await t.admin.get(`${path}${path.includes('?') ? '&' : '?'}cursor=${cursor(values)}`);
      expect([path, values, res.status, res.body.errors]).toEqual([
        path,
        values,
        400,
        [{ field: 'cursor', message: 'is not a cursor returned by this list' }],
      ]);
    }
    // Cursors the lists hand out still work.
    for (const path of [
      '/api/v1/persons',
      '/api/v1/sources',
      '/api/v1/hearings',
      `/api/v1/persons/${person.id}/custody-events`,
    ]) {
      const first = await t.admin.get(`${path}?limit=1`).expect(200);
      if (first.body.nextCursor) await t.admin.get(`${path}?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    }
  });

  it('tells a body over the limit of the parser that refused it', async () => {
    const publicCase = await createCase(t, { title: 'Limit public case', stage: 'trial', visibility: 'public' });
    const form = await request(t.http)
      .post(`/api/v1/public/cases/${publicCase.id}/follow`)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`email=follower%40example.org&language=${'x'.repeat(3000)}`);
    expect([form.status, form.body.detail]).toEqual([413, 'The request body is larger than the 2 kB limit.']);
    expect(form.headers['content-type']).toMatch(/^application\/problem\+json/);
    const json = await t.admin.post('/api/v1/persons').send(personBody('', { notes: 'x'.repeat(1024 * 1024 + 10) }));
    expect([json.status, json.body.detail]).toEqual([413, 'The request body is larger than the 1 MB limit.']);
  });

  it('answers a body that is not JSON (or the form a route takes) with 415, saying what to send', async () => {
    const JSON_ONLY = 'Send the body as JSON (Content-Type: application/json).';
    const asText = await t.admin.post('/api/v1/persons').set('content-type', 'text/plain').send('Zhanbolat Mamay');
    expect([asText.status, asText.body.detail]).toEqual([415, JSON_ONLY]);
    expect(asText.headers['content-type']).toMatch(/^application\/problem\+json/);
    const person = await createPerson(t, personBody(' for media types'));
    const form = await t.admin
      .patch(`/api/v1/persons/${person.id}`)
      .set('If-Match', '"1"')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('occupations=journalist');
    expect([form.status, form.body.detail, form.headers['accept-patch']]).toEqual([415, JSON_ONLY, 'application/json']);
    // JSON types with a suffix are JSON; a request without a body needs no type.
    await t.admin
      .patch(`/api/v1/persons/${person.id}`)
      .set('If-Match', '"1"')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ occupations: ['journalist'] }))
      .expect(200);
    const empty = await t.admin.post('/api/v1/persons').set('content-type', 'text/plain');
    expect([empty.status, [...new Set(empty.body.errors.map((e: { field: string }) => e.field))]]).toEqual([
      400,
      ['names'],
    ]);

    // The public follow form takes a form or JSON; one-click unsubscribe any body; imports their upload.
    const publicCase = await createCase(t, { title: 'Media type public case', stage: 'trial', visibility: 'public' });
    const follow = await request(t.http)
      .post(`/api/v1/public/cases/${publicCase.id}/follow`)
      .set('content-type', 'text/plain')
      .send('email=someone@example.org');
    expect([follow.status, follow.body.detail]).toEqual([
      415,
      'Send the body as JSON (Content-Type: application/json), or as a form (application/x-www-form-urlencoded).',
    ]);
    const oneClick = await request(t.http)
      .post('/api/v1/public/unsubscribe?token=not-a-token')
      .field('List-Unsubscribe', 'One-Click');
    expect(oneClick.status).toBe(400);
    const confirm = await request(t.http)
      .post('/api/v1/public/subscriptions/confirm?token=not-a-token')
      .type('form')
      .send('confirm=1');
    expect(confirm.status).toBe(400);
    const upload = await t.admin.post('/api/v1/imports').send({ file: 'persons.csv' });
    expect(upload.status).toBe(400);
    expect(upload.body.errors.map((e: { field: string }) => e.field)).toEqual(['file']);
  });

  it('never answers a hostile body with a 5xx, on any POST or PATCH route', async () => {
    const each = await recordOfEachKind(t, 'hostile');
    const { persons: person, cases: c, hearings: hearing, notes: note, advocates: advocate } = each;
    const { events: event, organizations: organization, sources: source } = each;
    const custodyEvent = each['custody-events'];
    const user = await t.createUser('viewer', 'Hostile target');
    const publicCase = await createCase(t, { title: 'Hostile public case', stage: 'trial', visibility: 'public' });
    // A failed reminder, for POST /reminders/{id}/retry (reminders are planned and sent, never posted).
    const [failedReminder] = await t.dataSource.query<Array<{ id: string }>>(
      `WITH s AS (INSERT INTO subscriptions (advocate_id, case_id, lead_times, channels, announce)
                  VALUES ($1, $2, '{}', '{email}', '{}') RETURNING id, advocate_id)
       INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, notice, channel, due_at, status)
       SELECT 'hostile/' || s.id, s.id, s.advocate_id, 'notice', 'verdict', 'email', now() + interval '1 day', 'failed'
         FROM s RETURNING id`,
      [advocate.id, c.id],
    );
    const ids: Record<string, string> = {
      ...Object.fromEntries(Object.entries(each).map(([path, record]) => [path, record.id])),
      users: user.id,
      reminders: failedReminder!.id,
    };

    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths)
      // Logout reads no body, and answering it would end the admin session every later request uses.
      .filter(([path]) => path !== '/api/v1/auth/logout')
      .flatMap(([path, methods]) =>
        (['post', 'patch'] as const)
          .filter((m) => m in methods)
          .map((method) => ({
            method,
            path: path.replace('{id}', ids[path.split('/')[3]!] ?? UNKNOWN_ID).replace('{caseId}', publicCase.id),
          })),
      );
    // Every writable resource is covered, with real ids so that valid-looking input reaches the services.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/persons',
        `patch /api/v1/persons/${person.id}`,
        `post /api/v1/persons/${person.id}/custody-events`,
        'post /api/v1/cases',
        `patch /api/v1/cases/${c.id}`,
        `post /api/v1/cases/${c.id}/hearings`,
        `patch /api/v1/hearings/${hearing.id}`,
        'post /api/v1/events',
        `patch /api/v1/events/${event.id}`,
        'post /api/v1/organizations',
        `patch /api/v1/organizations/${organization.id}`,
        'post /api/v1/sources',
        `patch /api/v1/sources/${source.id}`,
        `patch /api/v1/custody-events/${custodyEvent.id}`,
        `post /api/v1/persons/${person.id}/notes`,
        `patch /api/v1/notes/${note.id}`,
        'post /api/v1/users',
        `patch /api/v1/users/${user.id}`,
        'post /api/v1/advocates',
        `patch /api/v1/advocates/${advocate.id}`,
        'post /api/v1/subscriptions',
        `post /api/v1/public/cases/${publicCase.id}/follow`,
        'post /api/v1/public/unsubscribe',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(18);
    expect(routes.filter((r) => r.path.includes(UNKNOWN_ID))).toEqual([]);

    // A PATCH carries the record's current ETag (read just before, as earlier bodies may have been
    // accepted), so that it is the body that gets judged, not a missing or stale If-Match.
    const currentETag = async (route: (typeof routes)[number]) => {
      if (route.method !== 'patch') return undefined;
      const res = await t.admin.get(route.path).expect(200);
      expect(res.headers.etag).toMatch(/^"\d+"$/);
      return res.headers.etag as string;
    };
    const open = (route: (typeof routes)[number], etag: string | undefined) => {
      const req = t.admin[route.method](route.path);
      return etag ? req.set('If-Match', etag) : req;
    };

    const failures: string[] = [];
    for (const route of routes) {
      for (const body of HOSTILE_BODIES) {
        const res = await open(route, await currentETag(route)).send(body as object);
        if (res.status >= 500) failures.push(`${route.method} ${route.path} ${JSON.stringify(body).slice(0, 120)}`);
        else if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      for (const text of HOSTILE_TEXTS) {
        const res = await open(route, await currentETag(route))
          .set('content-type', 'application/json')
          .send(text);
        if (res.status >= 500) failures.push(`${route.method} ${route.path} raw ${text.slice(0, 120)}`);
      }
      for (const [type, text] of [
        ['text/plain', 'hello'],
        ['application/x-www-form-urlencoded', 'names[0][value]=A&title=x'],
        ['application/json; charset=latin-9', '{}'],
        ['application/merge-patch+json', '{"notes": "x"}'],
      ]) {
        const res = await open(route, await currentETag(route))
          .set('content-type', type!)
          .send(text);
        if (res.status >= 500) failures.push(`${route.method} ${route.path} as ${type}`);
      }
      const ifMatch = await t.admin[route.method](route.path).set('If-Match', '"99999999999999"').send({});
      if (ifMatch.status >= 500) failures.push(`${route.method} ${route.path} with a huge If-Match`);
    }
    expect(failures).toEqual([]);

    // The records survived whatever was accepted.
    await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    await t.admin.get(`/api/v1/cases/${c.id}`).expect(200);
    await t.admin.get(`/api/v1/hearings/${hearing.id}`).expect(200);
  }, 120_000);

  it('never answers hostile list queries with a 5xx', async () => {
    const failures: string[] = [];
    const queries = [
      'limit=1e308',
      'limit=-1',
      'limit=abc',
      'limit=1&limit=2',
      'cursor=%00',
      `cursor=${Buffer.from('["x"]').toString('base64url')}`,
      `cursor=${Buffer.from('[1e400, "1"]').toString('base64url')}`,
      `cursor=${Buffer.from('["not a date", "abc"]').toString('base64url')}`,
      `cursor=${Buffer.from('["2024-01-01T00:00:00Z", "99999999999999999999999"]').toString('base64url')}`,
      'cursor[a]=b',
      'stage=trial&stage=appeal',
      'country[]=KZ',
      'from=2024-02-30T00:00:00Z',
      'from=0000-01-01T00:00:00Z',
      'to=99999-01-01',
      'caseId=%27%20OR%201%3D1--',
      'status=scheduled%00',
    ];
    for (const path of [
      '/api/v1/persons',
      '/api/v1/cases',
      '/api/v1/hearings',
      '/api/v1/events',
      '/api/v1/organizations',
      '/api/v1/sources',
    ]) {
      for (const query of queries) {
        const res = await t.admin.get(`${path}?${query}`);
        if (res.status >= 500) failures.push(`${path}?${query}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
