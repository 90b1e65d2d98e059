import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  collectIds,
  createOrganization,
  createPerson,
  createSource,
  personBody,
  UNKNOWN_ID,
} from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('persons', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a person from the documented example and returns the stored case file', async () => {
    const res = await t.admin
      .post('/api/v1/persons')
      .send({
        names: [
          { value: 'Zhanbolat Mamay', script: 'Latn', lang: 'en', preferred: true },
          { value: 'Жанболат Мамай', script: 'Cyrl', lang: 'kk' },
        ],
        country: 'KZ',
        occupations: ['journalist'],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      displayName: 'Zhanbolat Mamay',
      version: 1,
      country: 'KZ',
      occupations: ['journalist'],
      visibility: 'internal',
      currentCustody: null,
      custodyHistory: [],
      cases: [],
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.names.map((n: { value: string }) => n.value)).toEqual(['Zhanbolat Mamay', 'Жанболат Мамай']);

    const got = await t.admin.get(`/api/v1/persons/${res.body.id}`).expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(res.body);
  });

  it('treats a single name as preferred and refuses zero or two preferred names', async () => {
    const single = await createPerson(t, { names: [{ value: 'Inga Imanbai' }] });
    expect(single).toMatchObject({ displayName: 'Inga Imanbai' });

    const none = await t.admin
      .post('/api/v1/persons')
      .send({ names: [{ value: 'A' }, { value: 'B' }] })
      .expect(400);
    expect(none.body.errors).toEqual([{ field: 'names', message: 'mark exactly one name as preferred' }]);

    const two = await t.admin
      .post('/api/v1/persons')
      .send({
        names: [
          { value: 'A', preferred: true },
          { value: 'B', preferred: true },
        ],
      })
      .expect(400);
    expect(two.body.errors[0].field).toBe('names');
  });

  it('answers invalid input with problem+json naming every bad field', async () => {
    const res = await t.admin
      .post('/api/v1/persons')
      .send({
        names: [{ value: 'X', script: 'Latin' }],
        country: 'XX',
        birthDate: { date: '2022-13', precision: 'month' },
        visibility: 'secret',
        unexpected: true,
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Invalid request', instance: '/api/v1/persons' });
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['birthDate', 'country', 'names[0].script', 'unexpected', 'visibility']);
    expect(JSON.stringify(res.body)).not.toContain('Latin');
  });

  it('refuses a partial date whose form does not match its precision', async () => {
    const res = await t.admin
      .post('/api/v1/persons')
      .send(personBody(' pd', { birthDate: { date: '1988', precision: 'month' } }))
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'birthDate', message: 'is not a valid partial date: date "1988" does not match precision "month"' },
    ]);
  });

  it('gives 400 for a malformed id and 404 for an unknown one', async () => {
    const malformed = await t.admin.get('/api/v1/persons/not-a-uuid').expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    const unknown = await t.admin.get(`/api/v1/persons/${UNKNOWN_ID}`).expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.admin.patch(`/api/v1/persons/${UNKNOWN_ID}`).set('If-Match', '"1"').send({ notes: 'x' }).expect(404);
    await t.admin.delete(`/api/v1/persons/${UNKNOWN_ID}`).set('If-Match', '"1"').expect(404);
    await t.admin.post(`/api/v1/persons/${UNKNOWN_ID}/restore`).expect(404);
    await t.admin.get(`/api/v1/persons/${UNKNOWN_ID}/custody-events`).expect(404);
  });

  it('rejects bodies that are not JSON or larger than 1 MB, without a 500', async () => {
    const broken = await t.admin
      .post('/api/v1/persons')
      .set('content-type', 'application/json')
      .send('{"names": [')
      .expect(400);
    expect(broken.body.detail).toBe('The request body is not valid JSON.');
    const huge = await t.admin
      .post('/api/v1/persons')
      .send(personBody('', { notes: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.admin.post('/api/v1/persons').send([1, 2, 3]).expect(400);
    await t.admin.post('/api/v1/persons').set('content-type', 'text/plain').send('hello').expect(415);
  });

  it('updates a person, replacing names and moving displayName, and raises the version', async () => {
    const created = await createPerson(t, personBody(' upd'));
    const res = await t.admin
      .patch(`/api/v1/persons/${created.id}`)
      .set('If-Match', `"${created.version}"`)
      .send({
        names: [
          { value: 'Zhanbolat Mamay upd', script: 'Latn', lang: 'en' },
          { value: 'Dzjanboelat Mamai', script: 'Latn', lang: 'nl', preferred: true },
        ],
        birthDate: { date: '1988', precision: 'approximate' },
      })
      .expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      version: 2,
      displayName: 'Dzjanboelat Mamai',
      birthDate: { date: '1988', precision: 'approximate' },
      country: 'KZ',
    });
    expect(res.body.names[0]).toMatchObject({ value: 'Dzjanboelat Mamai', preferred: true });
  });

  it('refuses a change made against a stale version (If-Match) and changes nothing', async () => {
    const created = await createPerson(t, personBody(' etag'));
    await t.admin.patch(`/api/v1/persons/${created.id}`).set('If-Match', '"1"').send({ notes: 'first' }).expect(200);
    const stale = await t.admin
      .patch(`/api/v1/persons/${created.id}`)
      .set('If-Match', '"1"')
      .send({ notes: 'second' })
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });
    const now = await t.admin.get(`/api/v1/persons/${created.id}`).expect(200);
    expect(now.body).toMatchObject({ notes: 'first', version: 2 });
    await t.admin.patch(`/api/v1/persons/${created.id}`).set('If-Match', 'garbage').send({ notes: 'x' }).expect(400);
  });

  it('compares If-Match strongly: a weak tag never matches (412), an unquoted or unclosed one is malformed (400)', async () => {
    const created = await createPerson(t, personBody(' weak etag'));
    const path = `/api/v1/persons/${created.id}`;
    for (const weak of ['W/"1"', ' W/"1" ']) {
      const res = await t.admin.patch(path).set('If-Match', weak).send({ notes: 'weak' });
      expect(res.status).toBe(412);
      expect(res.body).toMatchObject({ status: 412, currentVersion: 1 });
    }
    await t.admin.delete(path).set('If-Match', 'W/"1"').expect(412);
    for (const malformed of ['1', '"1', '1"', 'W/1', 'w/"1"']) {
      const res = await t.admin.patch(path).set('If-Match', malformed).send({ notes: 'malformed' });
      expect([malformed, res.status, res.body.errors]).toEqual([
        malformed,
        400,
        [{ field: 'If-Match', message: 'must be an ETag returned by this API, such as "3"' }],
      ]);
    }
    expect((await t.admin.get(path).expect(200)).body).toMatchObject({ version: 1, notes: null });
    await t.admin.patch(path).set('If-Match', '"1"').send({ notes: 'strong' }).expect(200);
  });

  it('refuses a birth date after today, at any precision, and takes today', async () => {
    const future = [
      { date: '9999-12-31', precision: 'day' },
      { date: '2999', precision: 'year' },
      { date: '2999', precision: 'approximate' },
      { date: `${new Date().getUTCFullYear() + 1}-01`, precision: 'month' },
    ];
    for (const birthDate of future) {
      const res = await t.admin.post('/api/v1/persons').send(personBody(' future birth', { birthDate }));
      expect([birthDate, res.status, res.body.errors]).toEqual([
        birthDate,
        400,
        [{ field: 'birthDate', message: 'must not be in the future' }],
      ]);
    }
    const created = await createPerson(t, personBody(' born', { birthDate: { date: '1988', precision: 'year' } }));
    const patch = await t.admin
      .patch(`/api/v1/persons/${created.id}`)
      .set('If-Match', '"1"')
      .send({ birthDate: { date: '2999-01-01', precision: 'day' } });
    expect([patch.status, patch.body.errors]).toEqual([
      400,
      [{ field: 'birthDate', message: 'must not be in the future' }],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const thisYear = today.slice(0, 4);
    for (const birthDate of [
      { date: today, precision: 'day' },
      { date: thisYear, precision: 'year' },
    ]) {
      await t.admin.post('/api/v1/persons').send(personBody(' born today', { birthDate })).expect(201);
    }
    expect((await t.admin.get(`/api/v1/persons/${created.id}`).expect(200)).body).toMatchObject({
      version: 1,
      birthDate: { date: '1988', precision: 'year' },
    });
  });

  it('archives (404 and gone from lists) and restores, destroying nothing', async () => {
    const created = await createPerson(t, personBody(' arch'));
    await t.admin.delete(`/api/v1/persons/${created.id}`).set('If-Match', `"${created.version}"`).expect(204);
    await t.admin.get(`/api/v1/persons/${created.id}`).expect(404);
    expect(await collectIds(t, '/api/v1/persons', 100)).not.toContain(created.id);
    const restored = await t.admin.post(`/api/v1/persons/${created.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ id: created.id, displayName: 'Zhanbolat Mamay arch', version: 3 });
    expect(await collectIds(t, '/api/v1/persons', 100)).toContain(created.id);
  });

  it('paginates with a cursor, without duplicates or gaps, stable while rows are inserted', async () => {
    const mine = [];
    for (let i = 0; i < 7; i++) mine.push((await createPerson(t, personBody(` page${i}`, { country: 'NL' }))).id);
    const first = await t.admin.get('/api/v1/persons').query({ country: 'NL', limit: 3 }).expect(200);
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual(mine.slice(0, 3));
    // An insert between pages neither repeats nor skips anything already listed.
    const late = (await createPerson(t, personBody(' late', { country: 'NL' }))).id;
    const ids = [...first.body.items.map((p: { id: string }) => p.id)];
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await t.admin.get('/api/v1/persons').query({ country: 'NL', limit: 3, cursor }).expect(200);
      ids.push(...page.body.items.map((p: { id: string }) => p.id));
      cursor = page.body.nextCursor;
    }
    expect(ids).toEqual([...mine, late]);
    await t.admin.get('/api/v1/persons').query({ limit: 101 }).expect(400);
    await t.admin.get('/api/v1/persons').query({ limit: 0 }).expect(400);
    const bad = await t.admin.get('/api/v1/persons').query({ cursor: 'nonsense' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'cursor', message: 'is not a cursor returned by this list' }]);
  });

  it('keeps an append-only custody history and derives current custody from the latest event', async () => {
    const person = await createPerson(t, personBody(' custody'));
    const base = `/api/v1/persons/${person.id}/custody-events`;
    await t.admin
      .post(base)
      .send({ status: 'arrested', from: { date: '2022-03', precision: 'month' }, place: 'Almaty' })
      .expect(201);
    await t.admin
      .post(base)
      .send({ status: 'pretrial-detention', from: { date: '2022-03', precision: 'month' } })
      .expect(201);
    await t.admin
      .post(base)
      .send({ status: 'house-arrest', from: { date: '2022-11', precision: 'approximate' } })
      .expect(201);
    // Recorded late, but earlier in time: it takes its place in history without becoming current.
    await t.admin
      .post(base)
      .send({ status: 'at-liberty', from: { date: '2021', precision: 'year' } })
      .expect(201);

    const file = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(file.body.currentCustody).toMatchObject({
      status: 'house-arrest',
      since: { date: '2022-11', precision: 'approximate' },
    });
    expect(file.body.custodyHistory.map((e: { status: string }) => e.status)).toEqual([
      'at-liberty',
      'arrested',
      'pretrial-detention',
      'house-arrest',
    ]);
    const listed = await t.admin.get(base).query({ limit: 2 }).expect(200);
    expect(listed.body.items.map((e: { status: string }) => e.status)).toEqual(['at-liberty', 'arrested']);
    const next = await t.admin.get(base).query({ limit: 2, cursor: listed.body.nextCursor }).expect(200);
    expect(next.body.items.map((e: { status: string }) => e.status)).toEqual(['pretrial-detention', 'house-arrest']);
    expect(next.body.nextCursor).toBeNull();

    const bad = await t.admin
      .post(base)
      .send({ status: 'on-holiday', from: { date: '2022-02-30', precision: 'day' } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'status']);
    await t.admin.patch(`${base}/whatever`).send({}).expect(404);
  });

  it('links designations to organisations and cites sources, replacing both lists on update', async () => {
    const amnesty = await createOrganization(t, { names: ['Amnesty International'] });
    const [s1, s2] = [await createSource(t, { title: 'Report one' }), await createSource(t, { title: 'Report two' })];
    const created = await t.admin
      .post('/api/v1/persons')
      .send(
        personBody(' designated', {
          designations: [
            {
              designation: 'prisoner of conscience',
              organizationId: amnesty.id,
              since: { date: '2023-03', precision: 'month' },
            },
          ],
          sourceIds: [s1.id, s2.id],
        }),
      )
      .expect(201);
    expect(created.body.designations).toEqual([
      {
        designation: 'prisoner of conscience',
        organizationId: amnesty.id,
        organizationName: 'Amnesty International',
        since: { date: '2023-03', precision: 'month' },
        note: null,
      },
    ]);
    expect(created.body.sourceIds).toEqual([s1.id, s2.id].sort());

    const updated = await t.admin
      .patch(`/api/v1/persons/${created.body.id}`)
      .set('If-Match', `"${created.body.version}"`)
      .send({ designations: [], sourceIds: [s2.id] })
      .expect(200);
    expect(updated.body).toMatchObject({ designations: [], sourceIds: [s2.id], version: 2 });

    const unknown = await t.admin
      .patch(`/api/v1/persons/${created.body.id}`)
      .set('If-Match', `"${updated.body.version}"`)
      .send({ designations: [{ designation: 'x', organizationId: UNKNOWN_ID }], sourceIds: [s1.id, UNKNOWN_ID] })
      .expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'designations[0].organizationId',
      'sourceIds[1]',
    ]);
    const unchanged = await t.admin.get(`/api/v1/persons/${created.body.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ sourceIds: [s2.id], version: 2 });
  });

  it('lists the sources of the person and of its custody events in order of id, archived ones too', async () => {
    const [s1, s2, s3] = [
      await createSource(t, { title: 'Cited one' }),
      await createSource(t, { title: 'Cited two' }),
      await createSource(t, { title: 'Cited three' }),
    ];
    const person = await createPerson(t, personBody(' cited', { sourceIds: [s3.id, s1.id, s2.id] }));
    await t.admin
      .post(`/api/v1/persons/${person.id}/custody-events`)
      .send({ status: 'arrested', from: { date: '2022-01-06', precision: 'day' }, sourceIds: [s3.id, s2.id] })
      .expect(201);
    await t.admin.delete(`/api/v1/sources/${s1.id}`).set('If-Match', `"${s1.version}"`).expect(204);
    const file = (await t.admin.get(`/api/v1/persons/${person.id}`).expect(200)).body;
    expect(file.sourceIds).toEqual([s1.id, s2.id, s3.id].sort());
    expect(file.custodyHistory.map((e: { sourceIds: string[] }) => e.sourceIds)).toEqual([[s2.id, s3.id].sort()]);
  });
});
