import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { auditEntriesWithReason, createPerson, personBody, UNKNOWN_ID } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The campaign kept with a person (`/persons/:id/campaign`): created and replaced by PUT,
 * versioned and audited like every record, and seen only by readers who may see its person
 * (and, when restricted, who have clearance on the person).
 */

interface FieldError {
  field: string;
  message: string;
}

interface HistoryEntry {
  action: string;
  reason: string | null;
  actor: { label: string };
  changes: Array<{ field: string; before: unknown; after: unknown; redacted: boolean }>;
}

interface OpenApiDocument {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>
  >;
}

const tag = () => randomBytes(4).toString('hex');

const CAMPAIGN = {
  headline: 'Journalist held under house arrest awaiting trial',
  actionNumber: 'UA 12/22',
  summary: 'Arrested in Almaty in March 2022; under house arrest since about November 2022.',
  modelLetter: {
    salutation: 'Dear Prosecutor General,',
    facts: 'Zhanbolat Mamay is charged with organizing the anti-government riots of January 2022.',
    requests: ['Release Zhanbolat Mamay immediately and unconditionally.', 'Drop the charge against him.'],
  },
  recipients: [
    {
      title: 'Prosecutor General of the Republic of Kazakhstan',
      name: 'Office of the Prosecutor General',
      salutation: 'Dear Prosecutor General,',
      preferredLanguage: 'kk',
    },
  ],
  copies: [{ name: 'Embassy of the Republic of Kazakhstan', email: 'embassy@example.org' }],
  appealDeadline: '2023-05-31',
  background: 'Protests against a fuel price rise began on 2 January 2022 in Zhanaozen.',
  language: 'en',
};

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('person campaigns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const campaignPath = (personId: string) => `/api/v1/persons/${personId}/campaign`;

  const auditCount = async () =>
    (await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;

  const history = async (personId: string, client = t.admin): Promise<HistoryEntry[]> =>
    (await client.get(`${campaignPath(personId)}/history`).expect(200)).body.items as HistoryEntry[];

  it('creates a campaign (201, ETag), reads it back, and replaces it with If-Match (200)', async () => {
    const person = await createPerson(t, personBody(` campaign ${tag()}`));
    const created = await t.editor.put(campaignPath(person.id)).send(CAMPAIGN).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.any(String),
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      personId: person.id,
      ...CAMPAIGN,
      followUpOf: null,
      modelLetter: { ...CAMPAIGN.modelLetter, closing: null },
      recipients: [{ ...CAMPAIGN.recipients[0], address: null, email: null }],
      copies: [
        { title: null, name: 'Embassy of the Republic of Kazakhstan', address: null, email: 'embassy@example.org' },
      ],
      visibility: 'internal',
    });

    const read = await t.viewer.get(campaignPath(person.id)).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(created.body);

    const replaced = await t.editor
      .put(campaignPath(person.id))
      .set('If-Match', '"1"')
      .send({ headline: 'Still under house arrest', visibility: 'public' })
      .expect(200);
    expect(replaced.headers.etag).toBe('"2"');
    // A replacement: what was left out is cleared.
    expect(replaced.body).toMatchObject({
      id: created.body.id,
      version: 2,
      headline: 'Still under house arrest',
      actionNumber: null,
      modelLetter: null,
      recipients: [],
      copies: [],
      appealDeadline: null,
      visibility: 'public',
    });
    // Left out, the visibility stays as it was.
    const again = await t.editor.put(campaignPath(person.id)).set('If-Match', '"2"').send({}).expect(200);
    expect(again.body).toMatchObject({ version: 3, headline: null, visibility: 'public' });
  });

  it('documents every field it returns, on GET and on both answers of PUT', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as OpenApiDocument;
    const properties = (schema: string) => Object.keys(doc.components.schemas[schema]!.properties).sort();
    const documented = (method: 'get' | 'put', status: string) =>
      doc.paths['/api/v1/persons/{id}/campaign']![method]!.responses[status]!.content!['application/json']!.schema.$ref;
    expect(documented('get', '200')).toBe('#/components/schemas/CampaignView');
    expect(documented('put', '200')).toBe('#/components/schemas/CampaignView');
    expect(documented('put', '201')).toBe('#/components/schemas/CampaignView');

    const person = await createPerson(t, personBody(` documented ${tag()}`));
    await t.admin.put(campaignPath(person.id)).send(CAMPAIGN).expect(201);
    const body = (await t.admin.get(campaignPath(person.id)).expect(200)).body;
    expect(Object.keys(body).sort()).toEqual(properties('CampaignView'));
    expect(Object.keys(body.modelLetter).sort()).toEqual(properties('ModelLetterView'));
    expect(Object.keys(body.recipients[0]).sort()).toEqual(properties('CampaignRecipientView'));
    expect(Object.keys(body.copies[0]).sort()).toEqual(properties('CampaignCopyView'));
  });

  it('needs If-Match to replace (428), refuses a stale one (412) and If-None-Match: * when one exists, writing nothing', async () => {
    const person = await createPerson(t, personBody(` guard ${tag()}`));
    await t.admin.put(campaignPath(person.id)).set('If-None-Match', '*').send(CAMPAIGN).expect(201);
    await t.admin.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(200);
    const before = await auditCount();
    const reason = `refused ${tag()}`;

    const missing = await t.editor.put(campaignPath(person.id)).set('X-Change-Reason', reason).send(CAMPAIGN);
    expect(missing.status).toBe(428);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.editor.put(campaignPath(person.id)).set('If-Match', '*').send(CAMPAIGN).expect(428);
    const stale = await t.editor
      .put(campaignPath(person.id))
      .set('If-Match', '"1"')
      .set('X-Change-Reason', reason)
      .send({ headline: 'stale' })
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });
    const exists = await t.editor
      .put(campaignPath(person.id))
      .set('If-None-Match', '*')
      .send({ headline: 'again', reason })
      .expect(412);
    expect(exists.body).toMatchObject({ status: 412, currentVersion: 2 });
    await t.editor.put(campaignPath(person.id)).set('If-Match', 'garbage').send(CAMPAIGN).expect(400);
    await t.editor.put(campaignPath(person.id)).set('If-None-Match', '"2"').send(CAMPAIGN).expect(400);
    await t.editor.delete(campaignPath(person.id)).expect(428);
    await t.editor.delete(campaignPath(person.id)).set('If-Match', '"1"').expect(412);

    expect(await auditCount()).toBe(before);
    expect(await auditEntriesWithReason(t, reason)).toBe(0);
    const now = await t.admin.get(campaignPath(person.id)).expect(200);
    expect(now.body).toMatchObject({ version: 2, headline: CAMPAIGN.headline });
  });

  it('lets viewers read but not write (403)', async () => {
    const person = await createPerson(t, personBody(` viewer ${tag()}`));
    await t.viewer.put(campaignPath(person.id)).send(CAMPAIGN).expect(403);
    await t.admin.put(campaignPath(person.id)).send(CAMPAIGN).expect(201);
    await t.viewer.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(403);
    await t.viewer.delete(campaignPath(person.id)).set('If-Match', '"1"').expect(403);
    await t.viewer.get(campaignPath(person.id)).expect(200);
    await t.viewer.get(`${campaignPath(person.id)}/history`).expect(200);
  });

  it('answers 404 for an unknown person, a person without a campaign, and If-Match on none; 400 for a malformed id', async () => {
    for (const path of [campaignPath(UNKNOWN_ID), `${campaignPath(UNKNOWN_ID)}/history`]) {
      const res = await t.admin.get(path).expect(404);
      expect(res.body).toMatchObject({ status: 404, title: 'Person not found' });
    }
    await t.admin.put(campaignPath(UNKNOWN_ID)).send(CAMPAIGN).expect(404);
    await t.admin.delete(campaignPath(UNKNOWN_ID)).set('If-Match', '"1"').expect(404);

    const person = await createPerson(t, personBody(` none ${tag()}`));
    const none = await t.admin.get(campaignPath(person.id)).expect(404);
    expect(none.body.title).toBe('Campaign of person not found');
    await t.admin.get(`${campaignPath(person.id)}/history`).expect(404);
    await t.admin.delete(campaignPath(person.id)).set('If-Match', '"1"').expect(404);
    await t.admin.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(404);

    const malformed = await t.admin.get('/api/v1/persons/not-a-uuid/campaign').expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('hides the campaign of a restricted person from users without a grant (404), and shows it with one', async () => {
    const person = await createPerson(t, personBody(` restricted ${tag()}`, { visibility: 'restricted' }));
    await t.admin
      .put(campaignPath(person.id))
      .send({ ...CAMPAIGN, visibility: 'public' })
      .expect(201);
    const editor = await t.createUser('editor', 'Campaign editor');
    for (const client of [t.viewer, editor.client]) {
      await client.get(campaignPath(person.id)).expect(404);
      await client.get(`${campaignPath(person.id)}/history`).expect(404);
    }
    await editor.client.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(404);
    await editor.client.delete(campaignPath(person.id)).set('If-Match', '"1"').expect(404);

    await t.admin.post('/api/v1/access-grants').send({ userId: editor.id, personId: person.id }).expect(201);
    await editor.client.get(campaignPath(person.id)).expect(200);
    await editor.client.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(200);
  });

  it('keeps a restricted campaign to admins and users granted access to the person', async () => {
    const person = await createPerson(t, personBody(` restricted campaign ${tag()}`));
    const granted = await t.createUser('editor', 'Granted campaign editor');
    await t.admin.post('/api/v1/access-grants').send({ userId: granted.id, personId: person.id }).expect(201);

    // Marking it restricted needs clearance.
    const refused = await t.editor.put(campaignPath(person.id)).send({ ...CAMPAIGN, visibility: 'restricted' });
    expect(refused.status).toBe(403);
    await granted.client
      .put(campaignPath(person.id))
      .send({ ...CAMPAIGN, visibility: 'restricted' })
      .expect(201);

    // Without clearance it is as if there were none, and it cannot be replaced either.
    await t.viewer.get(campaignPath(person.id)).expect(404);
    await t.editor.get(campaignPath(person.id)).expect(404);
    // 404 as for reading it: a 403 ("may not mark material restricted") would tell that it is there.
    const replaced = await t.editor.put(campaignPath(person.id)).send(CAMPAIGN);
    expect(replaced.status).toBe(404);
    expect(JSON.stringify(replaced.body)).not.toMatch(/restricted/i);
    await t.editor.put(campaignPath(person.id)).set('If-Match', '"1"').send(CAMPAIGN).expect(404);
    await t.editor.delete(campaignPath(person.id)).set('If-Match', '"1"').expect(404);
    await granted.client.get(campaignPath(person.id)).expect(200);
    await t.admin.get(campaignPath(person.id)).expect(200);

    // Made internal, it is seen by all, but its restricted past stays redacted for them.
    await granted.client
      .put(campaignPath(person.id))
      .set('If-Match', '"1"')
      .send({ ...CAMPAIGN, visibility: 'internal' })
      .expect(200);
    const read = await t.viewer.get(campaignPath(person.id)).expect(200);
    expect(read.body.visibility).toBe('internal');
    const redacted = await history(person.id, t.viewer);
    expect(redacted.map((e) => e.action)).toEqual(['create', 'update']);
    expect(redacted.every((e) => e.changes.every((c) => c.redacted && c.after === null))).toBe(true);
    const full = await history(person.id, granted.client);
    expect(full[0]!.changes).toContainEqual({
      field: 'headline',
      before: null,
      after: CAMPAIGN.headline,
      redacted: false,
    });
  });

  it('answers invalid input with 400 naming each field, and writes nothing', async () => {
    const person = await createPerson(t, personBody(` invalid ${tag()}`));
    const reason = `invalid ${tag()}`;
    const before = await auditCount();
    const res = await t.editor
      .put(campaignPath(person.id))
      .send({
        ...CAMPAIGN,
        reason,
        headline: 'x'.repeat(201),
        actionNumber: 'x'.repeat(61),
        summary: 'x'.repeat(2001),
        background: words(500),
        modelLetter: { salutation: 'Dear Sir,', requests: ['', 'Release him.'] },
        recipients: [{ name: 'Prosecutor General', email: 'not-an-email', preferredLanguage: 'not a language' }, {}],
        copies: Array.from({ length: 21 }, () => ({ name: 'Embassy' })),
        appealDeadline: '2023-02-30',
        language: 'xx-INVALID-',
        visibility: 'secret',
        unknownField: 1,
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (res.body.errors as FieldError[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(
      new Set([
        'headline',
        'actionNumber',
        'summary',
        'background',
        'modelLetter.facts',
        'modelLetter.requests',
        'recipients[0].email',
        'recipients[0].preferredLanguage',
        'recipients[1].name',
        'copies',
        'appealDeadline',
        'language',
        'visibility',
        'unknownField',
      ]),
    );
    expect(res.body.errors).toContainEqual({
      field: 'background',
      message: 'has 500 words; keep it to about 400 (450 at most)',
    });
    expect(res.body.errors).toContainEqual({ field: 'recipients[0].email', message: 'must be an email address' });
    expect(res.body.errors).toContainEqual({
      field: 'appealDeadline',
      message: 'must be a real date written YYYY-MM-DD',
    });
    expect(res.body.errors).toContainEqual({
      field: 'language',
      message: 'must be a BCP 47 language tag such as kk, ru or en',
    });

    for (const [body, field] of [
      [{ appealDeadline: '31 May 2023' }, 'appealDeadline'],
      [{ appealDeadline: '2023-05-31T00:00:00Z' }, 'appealDeadline'],
      [{ recipients: 'Prosecutor General' }, 'recipients'],
      [{ recipients: [null] }, 'recipients[0]'],
      [{ modelLetter: 'Dear Sir' }, 'modelLetter'],
    ] as const) {
      const one = await t.editor.put(campaignPath(person.id)).send(body).expect(400);
      expect((one.body.errors as FieldError[]).map((e) => e.field)).toContain(field);
    }
    expect(await auditCount()).toBe(before);
    expect(await auditEntriesWithReason(t, reason)).toBe(0);
    await t.admin.get(campaignPath(person.id)).expect(404);

    // About 400 words, and up to 450, are fine.
    await t.editor
      .put(campaignPath(person.id))
      .send({ background: words(450) })
      .expect(201);
  });

  it('archives with If-Match (204, then 404), keeps the history, and lets a new campaign be created', async () => {
    const person = await createPerson(t, personBody(` archive ${tag()}`));
    await t.editor.put(campaignPath(person.id)).set('X-Change-Reason', 'New%20action').send(CAMPAIGN).expect(201);
    await t.editor
      .put(campaignPath(person.id))
      .set('If-Match', '"1"')
      .send({ ...CAMPAIGN, appealDeadline: '2023-06-30', reason: 'Deadline extended' })
      .expect(200);
    await t.editor
      .delete(campaignPath(person.id))
      .set('If-Match', '"2"')
      .set('X-Change-Reason', 'Released')
      .expect(204);
    await t.viewer.get(campaignPath(person.id)).expect(404);

    const entries = await history(person.id);
    expect(entries.map((e) => [e.action, e.reason])).toEqual([
      ['create', 'New action'],
      ['update', 'Deadline extended'],
      ['archive', 'Released'],
    ]);
    expect(entries[1]!.changes).toEqual([
      { field: 'appealDeadline', before: '2023-05-31', after: '2023-06-30', redacted: false },
    ]);
    expect(entries[2]!.changes.map((c) => c.field)).toEqual(['archivedAt']);
    expect(entries[0]!.actor.label).toMatch(/^editor-/);

    const renewed = await t.editor.put(campaignPath(person.id)).send({ headline: 'Follow-up' }).expect(201);
    expect(renewed.body).toMatchObject({ version: 1, headline: 'Follow-up' });
    expect((await history(person.id)).map((e) => e.action)).toEqual(['create']);
  });
});
