import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { collectItems, createSource, UNKNOWN_ID } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Resource {
  path: string;
  create: (tag: string) => Record<string, unknown>;
  created: (tag: string) => Record<string, unknown>;
  patch: Record<string, unknown>;
  patched: Record<string, unknown>;
  /** Bodies that must be refused, with the fields the errors must name. */
  invalid: Array<{ body: Record<string, unknown>; fields: string[] }>;
}

const RESOURCES: Resource[] = [
  {
    path: '/api/v1/events',
    create: (tag) => ({
      names: [`January 2022 unrest ${tag}`, 'Qandy Qantar'],
      country: 'kz',
      start: { date: '2022-01-02', precision: 'day' },
      end: { date: '2022-01', precision: 'month' },
      summary: 'Protests over fuel prices',
    }),
    created: (tag) => ({
      name: `January 2022 unrest ${tag}`,
      names: [`January 2022 unrest ${tag}`, 'Qandy Qantar'],
      country: 'KZ',
      start: { date: '2022-01-02', precision: 'day' },
      end: { date: '2022-01', precision: 'month' },
      summary: 'Protests over fuel prices',
      sourceIds: [],
      externalId: null,
    }),
    patch: { names: ['Bloody January'], end: null, start: { date: '2022-01', precision: 'approximate' } },
    patched: {
      name: 'Bloody January',
      names: ['Bloody January'],
      start: { date: '2022-01', precision: 'approximate' },
      end: null,
      country: 'KZ',
      summary: 'Protests over fuel prices',
    },
    invalid: [
      { body: { names: ['X'], start: { date: '2022-13', precision: 'month' } }, fields: ['start'] },
      { body: { names: ['X'], start: { date: '2022', precision: 'month' } }, fields: ['start'] },
      { body: { names: [], country: 'XX', end: '2022-01' }, fields: ['country', 'end', 'names'] },
      { body: { names: ['A', 'A'], sourceIds: ['nope'] }, fields: ['names', 'sourceIds'] },
    ],
  },
  {
    path: '/api/v1/organizations',
    create: (tag) => ({ names: [`Amnesty International ${tag}`, 'AI'], kind: 'ngo', country: 'gb' }),
    created: (tag) => ({
      name: `Amnesty International ${tag}`,
      names: [`Amnesty International ${tag}`, 'AI'],
      kind: 'ngo',
      country: 'GB',
      note: null,
      externalId: null,
    }),
    patch: { kind: 'intergovernmental', note: 'reclassified', country: null },
    patched: { kind: 'intergovernmental', note: 'reclassified', country: null, names: expect.any(Array) },
    invalid: [
      { body: { names: ['X'], kind: 'cult' }, fields: ['kind'] },
      { body: { names: 'X', kind: 'ngo' }, fields: ['names'] },
      { body: { names: [''], kind: 'ngo', country: 'Kazakhstan' }, fields: ['country', 'names'] },
    ],
  },
  {
    path: '/api/v1/sources',
    create: (tag) => ({
      publisher: 'NRC',
      title: `Kazakhstan votes ${tag}`,
      url: 'https://www.nrc.nl/nieuws/2023/03/19/kazakhstan',
      published: { date: '2023-03-19', precision: 'day' },
      language: 'nl',
    }),
    created: (tag) => ({
      publisher: 'NRC',
      title: `Kazakhstan votes ${tag}`,
      url: 'https://www.nrc.nl/nieuws/2023/03/19/kazakhstan',
      published: { date: '2023-03-19', precision: 'day' },
      language: 'nl',
      note: null,
      externalId: null,
    }),
    patch: { url: 'http://example.org/archived', published: null, note: 'archived copy' },
    patched: { url: 'http://example.org/archived', published: null, note: 'archived copy', publisher: 'NRC' },
    invalid: [
      { body: { publisher: 'NRC', title: 'T', url: 'ftp://example.org/report.pdf' }, fields: ['url'] },
      { body: { publisher: 'NRC', title: 'T', url: 'javascript:alert(1)' }, fields: ['url'] },
      { body: { publisher: 'NRC', title: 'T', url: 'www.nrc.nl/report' }, fields: ['url'] },
      {
        body: { publisher: '', published: { date: '2023-02-29', precision: 'day' }, language: 'not a language' },
        fields: ['language', 'published', 'publisher', 'title'],
      },
    ],
  },
];

describe('reference data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe.each(RESOURCES)('$path', (resource) => {
    const { path } = resource;

    it('creates a record and reads it back with an ETag', async () => {
      const tag = randomUUID();
      const created = await t.admin.post(path).send(resource.create(tag)).expect(201);
      expect(created.body).toMatchObject({ ...resource.created(tag), version: 1 });
      expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const got = await t.admin.get(`${path}/${created.body.id}`).expect(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toEqual(created.body);
    });

    it('lists records oldest first with a cursor, without duplicates or gaps', async () => {
      const mine: string[] = [];
      for (let i = 0; i < 5; i++) {
        mine.push(
          (
            await t.admin
              .post(path)
              .send(resource.create(`page ${i}`))
              .expect(201)
          ).body.id,
        );
      }
      const ids = (await collectItems<{ id: string }>(t, path, {}, 2)).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => mine.includes(id))).toEqual(mine);
      const first = await t.admin.get(path).query({ limit: 1 }).expect(200);
      expect(first.body.items).toHaveLength(1);
      expect(typeof first.body.nextCursor).toBe('string');
      const bad = await t.admin.get(path).query({ cursor: 'not-a-cursor' }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'cursor', message: 'is not a cursor returned by this list' }]);
      await t.admin.get(path).query({ limit: 1000 }).expect(400);
    });

    it('patches a record, raising its version, and refuses a stale If-Match', async () => {
      const tag = randomUUID();
      const created = await t.admin.post(path).send(resource.create(tag)).expect(201);
      const patched = await t.admin
        .patch(`${path}/${created.body.id}`)
        .set('If-Match', '"1"')
        .send(resource.patch)
        .expect(200);
      expect(patched.headers.etag).toBe('"2"');
      expect(patched.body).toMatchObject({ ...resource.patched, id: created.body.id, version: 2 });
      const stale = await t.admin
        .patch(`${path}/${created.body.id}`)
        .set('If-Match', '"1"')
        .send(resource.patch)
        .expect(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });
      expect((await t.admin.get(`${path}/${created.body.id}`).expect(200)).body).toEqual(patched.body);
      await t.admin.patch(`${path}/${UNKNOWN_ID}`).set('If-Match', '"1"').send(resource.patch).expect(404);
    });

    it('archives a record (404, gone from the list) and restores it', async () => {
      const created = await t.admin.post(path).send(resource.create(randomUUID())).expect(201);
      const id = created.body.id as string;
      await t.admin.delete(`${path}/${id}`).set('If-Match', '"1"').expect(204);
      const gone = await t.admin.get(`${path}/${id}`).expect(404);
      expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await collectItems<{ id: string }>(t, path)).map((r) => r.id)).not.toContain(id);
      // Sent with the archived record's current version, so only the archiving can explain the 404.
      await t.admin.patch(`${path}/${id}`).set('If-Match', '"2"').send(resource.patch).expect(404);
      await t.admin.delete(`${path}/${id}`).set('If-Match', '"2"').expect(404);
      const restored = await t.admin.post(`${path}/${id}/restore`).expect(200);
      expect(restored.body).toMatchObject({ id, version: 3 });
      expect((await collectItems<{ id: string }>(t, path)).map((r) => r.id)).toContain(id);
      await t.admin.post(`${path}/${UNKNOWN_ID}/restore`).expect(404);
      await t.admin.get(`${path}/not-a-uuid`).expect(400);
    });

    it('names every invalid field, unknown ones included', async () => {
      for (const { body, fields } of resource.invalid) {
        const res = await t.admin.post(path).send(body).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(fields);
      }
      const unknown = await t.admin
        .post(path)
        .send({ ...resource.create('x'), colour: 'red' })
        .expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'colour', message: 'property colour should not exist' }]);
      const created = await t.admin.post(path).send(resource.create(randomUUID())).expect(201);
      const badPatch = await t.admin
        .patch(`${path}/${created.body.id}`)
        .set('If-Match', `"${created.body.version}"`)
        .send({ ...resource.invalid[0]!.body })
        .expect(400);
      expect([...new Set(badPatch.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(
        resource.invalid[0]!.fields,
      );
    });

    it('answers a duplicate externalId with 409 problem+json, on create and on patch', async () => {
      const externalId = `test:${randomUUID()}`;
      await t.admin
        .post(path)
        .send({ ...resource.create('ext 1'), externalId })
        .expect(201);
      const duplicate = await t.admin
        .post(path)
        .send({ ...resource.create('ext 2'), externalId })
        .expect(409);
      expect(duplicate.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(duplicate.body).toMatchObject({
        status: 409,
        type: 'urn:case-tracker:problem:conflict',
        detail: 'A record with the same unique value already exists.',
      });
      expect(JSON.stringify(duplicate.body)).not.toContain(externalId);
      const other = await t.admin.post(path).send(resource.create('ext 3')).expect(201);
      await t.admin
        .patch(`${path}/${other.body.id}`)
        .set('If-Match', `"${other.body.version}"`)
        .send({ externalId })
        .expect(409);
      const unchanged = await t.admin.get(`${path}/${other.body.id}`).expect(200);
      expect(unchanged.body).toMatchObject({ externalId: null, version: 1 });
    });
  });

  describe('events with sources', () => {
    it('stores, replaces and checks sourceIds', async () => {
      const s1 = await createSource(t, { title: 'Event source 1' });
      const s2 = await createSource(t, { title: 'Event source 2' });
      const created = await t.admin
        .post('/api/v1/events')
        .send({ names: ['Zhanaozen 2011'], sourceIds: [s1.id, s2.id] })
        .expect(201);
      expect([...created.body.sourceIds].sort()).toEqual([s1.id, s2.id].sort());

      const unknown = await t.admin
        .post('/api/v1/events')
        .send({ names: ['Unknown source event'], sourceIds: [UNKNOWN_ID, s1.id] })
        .expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'sourceIds[0]', message: `no source with id ${UNKNOWN_ID}` }]);
      // Nothing half-created is left behind.
      const all = await collectItems<{ names: string[] }>(t, '/api/v1/events');
      expect(all.some((e) => e.names[0] === 'Unknown source event')).toBe(false);

      const replaced = await t.admin
        .patch(`/api/v1/events/${created.body.id}`)
        .set('If-Match', `"${created.body.version}"`)
        .send({ sourceIds: [s2.id] })
        .expect(200);
      expect(replaced.body).toMatchObject({ sourceIds: [s2.id], version: 2, names: ['Zhanaozen 2011'] });

      const refused = await t.admin
        .patch(`/api/v1/events/${created.body.id}`)
        .set('If-Match', `"${replaced.body.version}"`)
        .send({ names: ['Renamed'], sourceIds: [s1.id, UNKNOWN_ID] })
        .expect(400);
      expect(refused.body.errors).toEqual([{ field: 'sourceIds[1]', message: `no source with id ${UNKNOWN_ID}` }]);
      const unchanged = await t.admin.get(`/api/v1/events/${created.body.id}`).expect(200);
      expect(unchanged.body).toMatchObject({ names: ['Zhanaozen 2011'], sourceIds: [s2.id], version: 2 });

      // An archived source can no longer be cited.
      await t.admin.delete(`/api/v1/sources/${s1.id}`).set('If-Match', `"${s1.version}"`).expect(204);
      const archived = await t.admin
        .patch(`/api/v1/events/${created.body.id}`)
        .set('If-Match', `"${replaced.body.version}"`)
        .send({ sourceIds: [s1.id] })
        .expect(400);
      expect(archived.body.errors.map((e: { field: string }) => e.field)).toEqual(['sourceIds[0]']);
    });
  });
});
