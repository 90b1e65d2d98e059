import { AUDIT_ENTITIES, AuditTrail, verifyAuditChain } from '#audit';
import type { WriteContext } from '#common';
import { Keyring } from '#encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { auditEntriesWithReason, createPerson, personBody } from './support/fixtures.js';
import { createMigratedScratchDatabase, type MigratedScratchDatabase } from './support/scratch-database.js';
import { type Client, clientFor, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

interface HistoryChange {
  field: string;
  before: unknown;
  after: unknown;
  redacted: boolean;
}

interface HistoryEntry {
  seq: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  reason: string | null;
  changes: HistoryChange[];
}

interface AuditRow {
  seq: string;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  entity_type: string;
  visibility: string;
  reason: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
}

const tag = () => randomBytes(4).toString('hex');
/** A reason in Cyrillic: sent percent-encoded in `X-Change-Reason`, stored and shown decoded. */
const CYRILLIC_REASON = 'Исправлено по протоколу суда от 14 марта';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Runs statements on a database as the superuser of the admin URL (outside the application). */
async function asSuperuser(url: string, statements: Array<[string, unknown[]?]>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [sql, params] of statements) await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('audit trail', () => {
  let t: TestApp;
  let editor: TestUser;
  let adminId: string;
  const adminEmail = () => process.env.ADMIN_EMAIL!.toLowerCase();

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.createUser('editor', 'Audit editor');
    adminId = (await t.admin.get('/api/v1/auth/me').expect(200)).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const auditRows = (entityType: string, id: string): Promise<AuditRow[]> =>
    t.dataSource.query(
      `SELECT seq, action, actor_kind, actor_id, actor_label, entity_type, visibility, reason, changes
         FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq`,
      [entityType, id],
    );

  /** Every entry of a record's history, as `client` may see it, following the cursors. */
  async function history(client: Client, recordPath: string): Promise<HistoryEntry[]> {
    const items: HistoryEntry[] = [];
    let cursor: string | null = null;
    do {
      const res = await client
        .get(`${recordPath}/history`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const page = res.body as { items: HistoryEntry[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  const expectIncreasing = (seqs: string[]) => {
    for (let i = 1; i < seqs.length; i++) expect(BigInt(seqs[i]!)).toBeGreaterThan(BigInt(seqs[i - 1]!));
  };

  /**
   * One row per versioned record type: how to create it (making what it hangs off first), a
   * change to make, and whether it has a history route.
   */
  interface VersionedKind {
    type: string;
    base: string;
    asAdmin?: boolean;
    create: () => Promise<{ path: string; body: Record<string, unknown> }>;
    update: Record<string, unknown>;
    changed: { field: string; before: unknown; after: unknown };
    archivedField?: string;
    historyRoute?: boolean;
  }

  const newCase = async () =>
    (
      await t.admin
        .post('/api/v1/cases')
        .send({ title: `Case ${tag()}`, stage: 'trial' })
        .expect(201)
    ).body as {
      id: string;
    };

  const kinds: VersionedKind[] = [
    {
      type: 'person',
      base: '/api/v1/persons',
      create: async () => ({ path: '/api/v1/persons', body: personBody(` audit ${tag()}`) }),
      update: { country: 'RU' },
      changed: { field: 'country', before: 'KZ', after: 'RU' },
    },
    {
      type: 'case',
      base: '/api/v1/cases',
      create: async () => ({ path: '/api/v1/cases', body: { title: 'Prosecution for a post', stage: 'trial' } }),
      update: { title: 'Prosecution for two posts' },
      changed: { field: 'title', before: 'Prosecution for a post', after: 'Prosecution for two posts' },
    },
    {
      type: 'hearing',
      base: '/api/v1/hearings',
      create: async () => ({
        path: `/api/v1/cases/${(await newCase()).id}/hearings`,
        body: { startsAt: '2030-05-14T10:00', timeZone: 'Asia/Almaty', courtroom: 'Courtroom 4' },
      }),
      update: { courtroom: 'Courtroom 5' },
      changed: { field: 'courtroom', before: 'Courtroom 4', after: 'Courtroom 5' },
    },
    {
      type: 'custody-event',
      base: '/api/v1/custody-events',
      create: async () => ({
        path: `/api/v1/persons/${(await createPerson(t, personBody(` custody ${tag()}`))).id}/custody-events`,
        body: { status: 'arrested', from: { date: '2022-03-12', precision: 'day' } },
      }),
      update: { place: 'Almaty' },
      changed: { field: 'place', before: null, after: 'Almaty' },
    },
    {
      type: 'note',
      base: '/api/v1/notes',
      create: async () => ({
        path: `/api/v1/persons/${(await createPerson(t, personBody(` note ${tag()}`))).id}/notes`,
        body: { body: 'Lawyer visited on Monday.' },
      }),
      update: { visibility: 'public' },
      changed: { field: 'visibility', before: 'internal', after: 'public' },
    },
    {
      type: 'source',
      base: '/api/v1/sources',
      create: async () => ({ path: '/api/v1/sources', body: { publisher: 'Vlast.kz', title: 'Court report' } }),
      update: { title: 'Court report, corrected' },
      changed: { field: 'title', before: 'Court report', after: 'Court report, corrected' },
    },
    {
      type: 'organization',
      base: '/api/v1/organizations',
      create: async () => ({
        path: '/api/v1/organizations',
        body: { names: [`Bureau ${tag()}`], kind: 'ngo' },
      }),
      update: { note: 'Monitors trials' },
      changed: { field: 'note', before: null, after: 'Monitors trials' },
    },
    {
      type: 'event',
      base: '/api/v1/events',
      create: async () => ({ path: '/api/v1/events', body: { names: [`Unrest ${tag()}`], country: 'KZ' } }),
      update: { summary: 'Protests over fuel prices' },
      changed: { field: 'summary', before: null, after: 'Protests over fuel prices' },
    },
    {
      type: 'user',
      base: '/api/v1/users',
      asAdmin: true,
      create: async () => ({
        path: '/api/v1/users',
        body: {
          email: `audited-${tag()}@example.org`,
          displayName: 'Audited viewer',
          role: 'viewer',
          password: `steppe-lantern-${randomBytes(9).toString('base64url')}`,
        },
      }),
      update: { displayName: 'Audited viewer (renamed)' },
      changed: { field: 'displayName', before: 'Audited viewer', after: 'Audited viewer (renamed)' },
      archivedField: 'deactivatedAt',
      historyRoute: false,
    },
  ];

  describe('an entry for every write', () => {
    // Every type is created with the reason in the body, changed with a percent-encoded Cyrillic
    // reason in `X-Change-Reason`, archived with an ASCII header and restored with the reason in the body.
    it.each(kinds.map((kind) => [kind.type, kind] as const))(
      '%s: create, update, archive and restore each write one entry with actor, reason and changes',
      async (_type, kind) => {
        const client = kind.asAdmin ? t.admin : editor.client;
        const actor = kind.asAdmin
          ? { kind: 'user', id: adminId, label: adminEmail() }
          : { kind: 'user', id: editor.id, label: editor.email };
        const reasons = {
          create: `created in the audit test ${tag()}`,
          update: CYRILLIC_REASON,
          archive: `entered twice by mistake ${tag()}`,
          restore: `not a duplicate after all ${tag()}`,
        };
        const archivedField = kind.archivedField ?? 'archivedAt';

        const { path, body } = await kind.create();
        const created = await client
          .post(path)
          .send({ ...body, reason: reasons.create })
          .expect(201);
        const id = created.body.id as string;
        const updated = await client
          .patch(`${kind.base}/${id}`)
          .set('If-Match', `"${created.body.version}"`)
          .set('X-Change-Reason', encodeURIComponent(reasons.update))
          .send(kind.update)
          .expect(200);
        await client
          .delete(`${kind.base}/${id}`)
          .set('If-Match', `"${updated.body.version}"`)
          .set('X-Change-Reason', reasons.archive)
          .expect(204);
        await client.post(`${kind.base}/${id}/restore`).send({ reason: reasons.restore }).expect(200);

        const rows = await auditRows(kind.type, id);
        expect(rows.map((r) => [r.action, r.reason, r.actor_kind, r.actor_id, r.actor_label])).toEqual(
          (['create', 'update', 'archive', 'restore'] as const).map((action) => [
            action,
            reasons[action],
            actor.kind,
            actor.id,
            actor.label,
          ]),
        );
        expectIncreasing(rows.map((r) => r.seq));
        const [create, update, archive, restore] = rows as [AuditRow, AuditRow, AuditRow, AuditRow];
        // A creation lists what the record was created with, each with nothing before it.
        expect(Object.keys(create.changes).length).toBeGreaterThan(0);
        for (const change of Object.values(create.changes)) expect(change.before).toBeNull();
        if (kind.changed.before !== null) {
          expect(create.changes[kind.changed.field]).toEqual({ before: null, after: kind.changed.before });
        }
        // Later entries list only the fields that changed.
        expect(update.changes).toEqual({
          [kind.changed.field]: { before: kind.changed.before, after: kind.changed.after },
        });
        expect(Object.keys(archive.changes)).toEqual([archivedField]);
        expect(archive.changes[archivedField]!.before).toBeNull();
        expect(archive.changes[archivedField]!.after).toMatch(ISO_INSTANT);
        expect(restore.changes).toEqual({
          [archivedField]: { before: archive.changes[archivedField]!.after, after: null },
        });

        if (kind.historyRoute === false) return;
        const entries = await history(client, `${kind.base}/${id}`);
        expect(entries.map((e) => e.seq)).toEqual(rows.map((r) => r.seq));
        expect(entries.map((e) => [e.action, e.reason, e.actor])).toEqual(rows.map((r) => [r.action, r.reason, actor]));
        for (const entry of entries) {
          expect(entry.at).toMatch(ISO_INSTANT);
          expect(entry.changes.every((c) => c.redacted === false)).toBe(true);
        }
        expect(entries[1]!.changes).toEqual([{ ...kind.changed, redacted: false }]);
        expect(entries[3]!.changes).toEqual([
          { field: archivedField, before: archive.changes[archivedField]!.after, after: null, redacted: false },
        ]);
      },
    );

    it('api key and access grant: create and revoke each write one entry', async () => {
      const keyReason = `key for the campaign site ${tag()}`;
      const key = await t.admin
        .post('/api/v1/api-keys')
        .send({ name: `Campaign site ${tag()}`, scope: 'read-only', reason: keyReason })
        .expect(201);
      await t.admin
        .delete(`/api/v1/api-keys/${key.body.id}`)
        .set('X-Change-Reason', encodeURIComponent('Ключ утёк'))
        .expect(204);
      const keyRows = await auditRows('api-key', key.body.id);
      expect(keyRows.map((r) => [r.action, r.reason, r.actor_label])).toEqual([
        ['create', keyReason, adminEmail()],
        ['revoke', 'Ключ утёк', adminEmail()],
      ]);
      expect(keyRows[0]!.changes).toMatchObject({ name: { before: null, after: key.body.name } });
      expect(Object.keys(keyRows[1]!.changes)).toEqual(['revokedAt']);
      // Neither the key nor its hash is kept in the trail.
      expect(JSON.stringify(keyRows)).not.toContain(key.body.key);

      const viewer = await t.createUser('viewer');
      const person = await createPerson(t, personBody(` grant ${tag()}`));
      const grant = await t.admin
        .post('/api/v1/access-grants')
        .set('X-Change-Reason', 'observer at the trial')
        .send({ userId: viewer.id, personId: person.id })
        .expect(201);
      await t.admin.delete(`/api/v1/access-grants/${grant.body.id}`).send({ reason: 'trial is over' }).expect(204);
      const grantRows = await auditRows('access-grant', grant.body.id);
      expect(grantRows.map((r) => [r.action, r.reason, r.actor_id])).toEqual([
        ['create', 'observer at the trial', adminId],
        ['revoke', 'trial is over', adminId],
      ]);
      expect(grantRows[0]!.changes).toEqual({
        userId: { before: null, after: viewer.id },
        personId: { before: null, after: person.id },
      });
      expect(grantRows[1]!.changes).toEqual({
        userId: { before: viewer.id, after: null },
        personId: { before: person.id, after: null },
      });
    });

    it("names an API key as the actor of the writes made with it (as 'api-key:<name>')", async () => {
      const name = `Importer ${tag()}`;
      const key = await t.admin.post('/api/v1/api-keys').send({ name, scope: 'read-write' }).expect(201);
      const integration = clientFor(t.http, key.body.key);
      const org = await integration
        .post('/api/v1/organizations')
        .set('X-Change-Reason', 'imported from the monitoring spreadsheet')
        .send({ names: [`Imported bureau ${tag()}`], kind: 'ngo' })
        .expect(201);
      const [entry] = await history(t.admin, `/api/v1/organizations/${org.body.id}`);
      expect(entry).toMatchObject({
        action: 'create',
        reason: 'imported from the monitoring spreadsheet',
        actor: { kind: 'api-key', id: key.body.id, label: `api-key:${name}` },
      });
    });

    it('prefers X-Change-Reason over a body reason, trims reasons, and keeps none when none is given', async () => {
      const both = await editor.client
        .post('/api/v1/organizations')
        .set('X-Change-Reason', encodeURIComponent('  из заголовка  '))
        .send({ names: [`Header wins ${tag()}`], kind: 'ngo', reason: 'from the body' })
        .expect(201);
      const none = await editor.client
        .post('/api/v1/organizations')
        .send({ names: [`No reason ${tag()}`], kind: 'ngo' })
        .expect(201);
      const blank = await editor.client
        .post('/api/v1/organizations')
        .send({ names: [`Blank reason ${tag()}`], kind: 'ngo', reason: '   ' })
        .expect(201);
      expect((await history(t.admin, `/api/v1/organizations/${both.body.id}`))[0]!.reason).toBe('из заголовка');
      expect((await history(t.admin, `/api/v1/organizations/${none.body.id}`))[0]!.reason).toBeNull();
      expect((await history(t.admin, `/api/v1/organizations/${blank.body.id}`))[0]!.reason).toBeNull();
    });
  });

  describe('custody corrections', () => {
    it('needs a reason, and shows the date before and after, who corrected it, when and why', async () => {
      const person = await createPerson(t, personBody(` correction ${tag()}`));
      const wrong = { date: '2022-03-12', precision: 'day' };
      const right = { date: '2022-03-14', precision: 'day' };
      const event = await editor.client
        .post(`/api/v1/persons/${person.id}/custody-events`)
        .send({ status: 'pretrial-detention', from: wrong, place: 'Almaty' })
        .expect(201);
      const path = `/api/v1/custody-events/${event.body.id}`;

      // No reason, or a blank one: refused, nothing changes.
      const refused = await editor.client.patch(path).set('If-Match', '"1"').send({ from: right }).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
      await editor.client
        .patch(path)
        .set('If-Match', '"1"')
        .set('X-Change-Reason', '  ')
        .send({ from: right })
        .expect(400);
      await editor.client.patch(path).set('If-Match', '"1"').send({ from: right, reason: '' }).expect(400);
      const deleteRefused = await editor.client.delete(path).set('If-Match', '"1"').expect(400);
      expect(deleteRefused.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
      const unchanged = await editor.client.get(path).expect(200);
      expect(unchanged.headers.etag).toBe('"1"');
      expect(unchanged.body).toEqual(event.body);
      expect(await auditRows('custody-event', event.body.id)).toHaveLength(1);

      const reason = 'An earlier version gave the wrong date; the court record gives 14 March';
      const before = Date.now();
      const corrected = await editor.client
        .patch(path)
        .set('If-Match', '"1"')
        .send({ from: right, reason })
        .expect(200);
      expect(corrected.body).toMatchObject({ version: 2, from: right, place: 'Almaty', status: 'pretrial-detention' });
      const personNow = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
      expect(personNow.body.currentCustody).toMatchObject({ status: 'pretrial-detention', since: right });

      // Anyone who may see the event may read how it was corrected.
      for (const reader of [editor.client, t.viewer, t.admin]) {
        const entries = await history(reader, path);
        expect(entries.map((e) => e.action)).toEqual(['create', 'update']);
        const correction = entries[1]!;
        expect(correction).toEqual({
          seq: expect.any(String),
          at: expect.stringMatching(ISO_INSTANT),
          actor: { kind: 'user', id: editor.id, label: editor.email },
          action: 'update',
          reason,
          changes: [{ field: 'from', before: wrong, after: right, redacted: false }],
        });
        expect(Date.parse(correction.at)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(correction.at)).toBeLessThanOrEqual(Date.now() + 1000);
      }

      // Archiving the event needs a reason too, and it is kept.
      await editor.client
        .delete(path)
        .set('If-Match', '"2"')
        .set('X-Change-Reason', encodeURIComponent('Запись задвоена'))
        .expect(204);
      const rows = await auditRows('custody-event', event.body.id);
      expect(rows.map((r) => [r.action, r.reason])).toEqual([
        ['create', null],
        ['update', reason],
        ['archive', 'Запись задвоена'],
      ]);
    });
  });

  describe('failed writes', () => {
    it('leave no entry and change nothing: stale If-Match, invalid input, missing If-Match, bad reason header, forbidden', async () => {
      const person = await createPerson(t, personBody(` failures ${tag()}`));
      const path = `/api/v1/persons/${person.id}`;
      const ok = await editor.client.patch(path).set('If-Match', '"1"').send({ country: 'KG' }).expect(200);
      const current = await editor.client.get(path).expect(200);
      expect(current.headers.etag).toBe('"2"');

      const attempts: Array<{ reason: string; send: (reason: string) => Promise<{ status: number }> }> = [
        {
          // Someone else changed it since version 1.
          reason: `stale ${tag()}`,
          send: (reason) =>
            editor.client.patch(path).set('If-Match', '"1"').send({ country: 'RU', reason }).expect(412),
        },
        {
          reason: `invalid ${tag()}`,
          send: (reason) =>
            editor.client.patch(path).set('If-Match', '"2"').send({ country: 'XX', reason }).expect(400),
        },
        {
          reason: `unknown field ${tag()}`,
          send: (reason) =>
            editor.client.patch(path).set('If-Match', '"2"').send({ country: 'RU', hacked: true, reason }).expect(400),
        },
        {
          reason: `no if-match ${tag()}`,
          send: (reason) => editor.client.patch(path).send({ country: 'RU', reason }).expect(428),
        },
        {
          reason: `forbidden ${tag()}`,
          send: (reason) =>
            editor.client.patch(path).set('If-Match', '"2"').send({ visibility: 'restricted', reason }).expect(403),
        },
        {
          reason: `archive stale ${tag()}`,
          send: (reason) => editor.client.delete(path).set('If-Match', '"1"').send({ reason }).expect(412),
        },
        {
          reason: `create invalid ${tag()}`,
          send: (reason) =>
            editor.client
              .post('/api/v1/persons')
              .send({ ...personBody(' invalid'), country: 'XX', reason })
              .expect(400),
        },
      ];
      for (const attempt of attempts) {
        await attempt.send(attempt.reason);
        expect(await auditEntriesWithReason(t, attempt.reason)).toBe(0);
      }
      const badHeader = await editor.client
        .patch(path)
        .set('If-Match', '"2"')
        .set('X-Change-Reason', '%E0%A4%A')
        .send({ country: 'RU' })
        .expect(400);
      expect(badHeader.body.errors).toEqual([{ field: 'X-Change-Reason', message: expect.any(String) }]);

      const after = await editor.client.get(path).expect(200);
      expect(after.headers.etag).toBe('"2"');
      expect(after.body).toEqual(current.body);
      expect(after.body).toMatchObject({ version: 2, country: 'KG' });
      expect(ok.body.version).toBe(2);
      expect((await auditRows('person', person.id)).map((r) => r.action)).toEqual(['create', 'update']);
    });

    it('a stale custody correction with a reason leaves no entry', async () => {
      const person = await createPerson(t, personBody(` stale custody ${tag()}`));
      const event = await editor.client
        .post(`/api/v1/persons/${person.id}/custody-events`)
        .send({ status: 'arrested', from: { date: '2022-01-05', precision: 'day' } })
        .expect(201);
      const path = `/api/v1/custody-events/${event.body.id}`;
      await editor.client
        .patch(path)
        .set('If-Match', '"1"')
        .send({ place: 'Almaty', reason: 'place known' })
        .expect(200);
      const reason = `stale correction ${tag()}`;
      const stale = await editor.client
        .patch(path)
        .set('If-Match', '"1"')
        .send({ from: { date: '2022-01-06', precision: 'day' }, reason })
        .expect(412);
      expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });
      expect(await auditEntriesWithReason(t, reason)).toBe(0);
      const after = await editor.client.get(path).expect(200);
      expect(after.body).toMatchObject({ version: 2, from: { date: '2022-01-05', precision: 'day' }, place: 'Almaty' });
    });
  });

  describe('history redaction', () => {
    it('hides restricted entries and contact details from a viewer without a grant; admin and grantee see all', async () => {
      const secretContact = `Signal: +7 701 ${tag()} (sister)`;
      const newContact = `Telegram: @family_${tag()}`;
      const restrictedReason = `made public after the family agreed ${tag()}`;
      const created = await t.admin
        .post('/api/v1/persons')
        .send({
          ...personBody(` redaction ${tag()}`),
          visibility: 'restricted',
          contactDetails: secretContact,
          reason: 'hidden until the family agrees',
        })
        .expect(201);
      const path = `/api/v1/persons/${created.body.id}`;
      // A restricted record's history is as hidden as the record.
      await t.viewer.get(`${path}/history`).expect(404);

      await t.admin
        .patch(path)
        .set('If-Match', '"1"')
        .send({ visibility: 'internal', reason: restrictedReason })
        .expect(200);
      await t.admin
        .patch(path)
        .set('If-Match', '"2"')
        .set('X-Change-Reason', encodeURIComponent('Новые контакты'))
        .send({ country: 'KG', contactDetails: newContact })
        .expect(200);

      // Viewer without a grant: the two entries made while it was restricted show only who, what and when.
      const viewerSees = await history(t.viewer, path);
      expect(viewerSees.map((e) => [e.action, e.reason, e.actor.label])).toEqual([
        ['create', null, adminEmail()],
        ['update', null, adminEmail()],
        ['update', 'Новые контакты', adminEmail()],
      ]);
      for (const entry of viewerSees.slice(0, 2)) {
        expect(entry.changes.length).toBeGreaterThan(0);
        for (const change of entry.changes)
          expect(change).toEqual({ field: change.field, before: null, after: null, redacted: true });
      }
      expect(viewerSees[2]!.changes).toEqual([
        { field: 'contactDetails', before: null, after: null, redacted: true },
        { field: 'country', before: 'KZ', after: 'KG', redacted: false },
      ]);
      expect(JSON.stringify(viewerSees)).not.toContain(secretContact);
      expect(JSON.stringify(viewerSees)).not.toContain(newContact);
      expect(JSON.stringify(viewerSees)).not.toContain('enc:v1:');
      expect(JSON.stringify(viewerSees)).not.toContain(restrictedReason);

      // Admin: everything, contact details decrypted.
      const adminSees = await history(t.admin, path);
      expect(adminSees.map((e) => e.seq)).toEqual(viewerSees.map((e) => e.seq));
      expect(adminSees.map((e) => e.reason)).toEqual([
        'hidden until the family agrees',
        restrictedReason,
        'Новые контакты',
      ]);
      expect(adminSees.flatMap((e) => e.changes).every((c) => !c.redacted)).toBe(true);
      expect(adminSees[0]!.changes).toContainEqual({
        field: 'contactDetails',
        before: null,
        after: secretContact,
        redacted: false,
      });
      expect(adminSees[1]!.changes).toEqual([
        { field: 'visibility', before: 'restricted', after: 'internal', redacted: false },
      ]);
      expect(adminSees[2]!.changes).toEqual([
        { field: 'contactDetails', before: secretContact, after: newContact, redacted: false },
        { field: 'country', before: 'KZ', after: 'KG', redacted: false },
      ]);

      // A viewer granted access to this person sees what the admin sees.
      const grantee = await t.createUser('viewer', 'Granted observer');
      await t.admin.post('/api/v1/access-grants').send({ userId: grantee.id, personId: created.body.id }).expect(201);
      expect(await history(grantee.client, path)).toEqual(adminSees);

      // The stored entries hold the ciphertext, never the contact details themselves.
      const rows = await auditRows('person', created.body.id);
      expect(rows.map((r) => r.visibility)).toEqual(['restricted', 'restricted', 'internal']);
      expect(JSON.stringify(rows)).not.toContain(secretContact);
      expect(JSON.stringify(rows)).not.toContain(newContact);
      expect(rows[2]!.changes.contactDetails!.after).toMatch(/^enc:v1:/);
    });

    it('shows a restricted note and its history only to readers with clearance', async () => {
      const person = await createPerson(t, personBody(` restricted note ${tag()}`));
      const note = await t.admin
        .post(`/api/v1/persons/${person.id}/notes`)
        .send({ body: `Witness name: ${tag()}`, visibility: 'restricted' })
        .expect(201);
      await t.viewer.get(`/api/v1/notes/${note.body.id}/history`).expect(404);
      await editor.client.get(`/api/v1/notes/${note.body.id}/history`).expect(404);
      const [entry] = await history(t.admin, `/api/v1/notes/${note.body.id}`);
      expect(entry!.changes).toContainEqual({ field: 'body', before: null, after: note.body.body, redacted: false });
    });
  });

  describe('history of an archived record', () => {
    const archivable = kinds.filter((kind) =>
      ['person', 'case', 'hearing', 'custody-event', 'note', 'source'].includes(kind.type),
    );

    it.each(archivable.map((kind) => [kind.type, kind] as const))(
      '%s: readable by whoever could see the record, ending with the archive entry and its reason',
      async (_type, kind) => {
        const reason = `entered by mistake ${tag()}`;
        const readers = { admin: t.admin, editor: editor.client, viewer: t.viewer };
        const outcomes: Record<string, Record<string, unknown>> = {};
        for (const visibility of ['internal', 'restricted'] as const) {
          const { path, body } = await kind.create();
          const created = await t.admin
            .post(path)
            .send({ ...body, visibility })
            .expect(201);
          const recordPath = `${kind.base}/${created.body.id}`;
          await t.admin
            .delete(recordPath)
            .set('If-Match', `"${created.body.version}"`)
            .set('X-Change-Reason', reason)
            .expect(204);
          await t.admin.get(recordPath).expect(404);
          outcomes[visibility] = {};
          for (const [reader, client] of Object.entries(readers)) {
            const status = (await client.get(`${recordPath}/history`)).status;
            outcomes[visibility]![reader] =
              status === 200
                ? (await history(client, recordPath)).map((e) => [e.action, e.reason, e.changes.map((c) => c.field)])
                : status;
          }
        }
        const entries = [
          ['create', null, expect.arrayContaining(['visibility'])],
          ['archive', reason, ['archivedAt']],
        ];
        expect(outcomes).toEqual({
          internal: { admin: entries, editor: entries, viewer: entries },
          // Restricted: still only for readers with clearance, as while it was live.
          restricted: { admin: entries, editor: 404, viewer: 404 },
        });
      },
    );
  });

  describe('history entries', () => {
    it('list their changes by field name, whatever the order they are stored in', async () => {
      const created = await editor.client
        .post('/api/v1/persons')
        .send(personBody(` sorted ${tag()}`, { notes: 'Detained at the border' }))
        .expect(201);
      const path = `/api/v1/persons/${created.body.id}`;
      await editor.client
        .patch(path)
        .set('If-Match', '"1"')
        .send({ occupations: ['blogger'], notes: 'Released on bail', country: 'KG' })
        .expect(200);

      // jsonb keeps keys in its own order (shorter first).
      const [, stored] = await auditRows('person', created.body.id);
      expect(Object.keys(stored!.changes)).toEqual(['notes', 'country', 'occupations']);

      const entries = await history(t.viewer, path);
      expect(entries[1]!.changes.map((c) => c.field)).toEqual(['country', 'notes', 'occupations']);
      for (const entry of entries) {
        const fields = entry.changes.map((c) => c.field);
        expect(fields).toEqual([...fields].sort((a, b) => a.localeCompare(b)));
      }
      expect(entries[0]!.changes.length).toBeGreaterThan(3);
    });
  });

  describe('append-only storage', () => {
    it("refuses UPDATE, DELETE and TRUNCATE of audit_log through the application's own connection", async () => {
      const person = await createPerson(t, personBody(` append-only ${tag()}`));
      const [row] = await auditRows('person', person.id);
      // Each attempt runs in a transaction that is rolled back whatever happens, so the shared
      // trail could not be harmed even if the database let it through.
      const attempt = async (sql: string, params: unknown[] = []) => {
        const runner = t.dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        try {
          await runner.query("SET LOCAL lock_timeout = '10s'");
          return await runner.query(sql, params);
        } finally {
          await runner.rollbackTransaction();
          await runner.release();
        }
      };
      await expect(attempt('UPDATE audit_log SET reason = $1 WHERE seq = $2', ['rewritten', row!.seq])).rejects.toThrow(
        'audit_log is append-only: UPDATE is not allowed',
      );
      await expect(attempt('DELETE FROM audit_log WHERE seq = $1', [row!.seq])).rejects.toThrow(
        'audit_log is append-only: DELETE is not allowed',
      );
      await expect(attempt('TRUNCATE audit_log')).rejects.toThrow('audit_log is append-only: TRUNCATE is not allowed');
      await expect(
        t.dataSource.query('UPDATE audit_log SET reason = $1 WHERE seq = $2', ['rewritten', row!.seq]),
      ).rejects.toMatchObject({ driverError: { code: '42501' } });

      const [still] = await auditRows('person', person.id);
      expect(still).toEqual(row);
    });
  });

  describe('hash chain', () => {
    it('verifies over the shared trail, including the entries of this test', async () => {
      const person = await createPerson(t, personBody(` chain ${tag()}`));
      await t.admin.patch(`/api/v1/persons/${person.id}`).set('If-Match', '"1"').send({ country: 'UZ' }).expect(200);
      const mine = await auditRows('person', person.id);
      const report = await verifyAuditChain(t.dataSource);
      expect(report.broken).toBeNull();
      expect(report.checked).toBeGreaterThanOrEqual(mine.length);
      // Each entry links to the one before it.
      const links = await t.dataSource.query<Array<{ seq: string; prev_hash: string | null; previous: string | null }>>(
        `SELECT seq, prev_hash, lag(hash) OVER (ORDER BY seq) AS previous FROM audit_log ORDER BY seq`,
      );
      for (const link of links.slice(1)) expect(link.prev_hash).toBe(link.previous);
      expect(links[0]!.prev_hash).toBeNull();
    });

    describe('in a scratch database', () => {
      let scratch: MigratedScratchDatabase | undefined;
      let trail: AuditTrail;

      beforeAll(async () => {
        scratch = await createMigratedScratchDatabase('audit', { entities: AUDIT_ENTITIES });
        trail = new AuditTrail(scratch.dataSource, Keyring.fromEnvironment(process.env.DATA_ENCRYPTION_KEY));
      });
      afterAll(async () => {
        await scratch?.drop();
      });

      it('reports the exact entry edited or removed behind the application', async () => {
        const ds = scratch!.dataSource;
        const context: WriteContext = {
          actor: { kind: 'user', id: randomUUID(), role: 'editor', label: 'editor@example.org' },
          reason: null,
        };
        const personId = randomUUID();
        for (let i = 1; i <= 6; i++) {
          await ds.transaction((manager) =>
            trail.record(
              manager,
              { ...context, reason: i === 1 ? null : `correction ${i}: Жанболат` },
              {
                action: i === 1 ? 'create' : 'update',
                entityType: 'person',
                entityId: personId,
                before:
                  i === 1
                    ? null
                    : { step: i - 1, names: ['Жанболат Мамай'], birth: { date: '1980', precision: 'year' } },
                after: { step: i, names: ['Жанболат Мамай'], birth: { date: '1980', precision: 'year' } },
                visibility: ['internal'],
              },
            ),
          );
        }
        // A write that fails after its entry is recorded leaves no entry and no gap in the chain.
        await expect(
          ds.transaction(async (manager) => {
            await trail.record(manager, context, {
              action: 'update',
              entityType: 'person',
              entityId: personId,
              after: { step: 99 },
            });
            throw new Error('the write failed after its audit entry');
          }),
        ).rejects.toThrow('the write failed');

        const seqs = (await ds.query<Array<{ seq: string }>>('SELECT seq FROM audit_log ORDER BY seq')).map(
          (r) => r.seq,
        );
        expect(seqs).toHaveLength(6);
        expect(await verifyAuditChain(ds)).toEqual({ checked: 6, broken: null });
        expect(await verifyAuditChain(ds, 2)).toEqual({ checked: 6, broken: null });

        // The triggers stop the owner here too.
        await expect(ds.query('UPDATE audit_log SET reason = $1 WHERE seq = $2', ['quiet', seqs[2]])).rejects.toThrow(
          /append-only/,
        );

        // A superuser disables the triggers and rewrites the reason of the third entry.
        const [original] = await ds.query<Array<{ reason: string }>>('SELECT reason FROM audit_log WHERE seq = $1', [
          seqs[2],
        ]);
        await asSuperuser(scratch!.url, [
          ['ALTER TABLE audit_log DISABLE TRIGGER USER'],
          ['UPDATE audit_log SET reason = $1 WHERE seq = $2', ['a quieter reason', seqs[2]]],
          ['ALTER TABLE audit_log ENABLE TRIGGER USER'],
        ]);
        const edited = { checked: 2, broken: { seq: seqs[2], problem: expect.stringMatching(/edited/) } };
        expect(await verifyAuditChain(ds)).toEqual(edited);
        expect(await verifyAuditChain(ds, 2)).toEqual(edited);
        expect(await verifyAuditChain(ds, 1)).toEqual(edited);

        // Put back, the chain holds again.
        await asSuperuser(scratch!.url, [
          ['ALTER TABLE audit_log DISABLE TRIGGER USER'],
          ['UPDATE audit_log SET reason = $1 WHERE seq = $2', [original!.reason, seqs[2]]],
          ['ALTER TABLE audit_log ENABLE TRIGGER USER'],
        ]);
        expect(await verifyAuditChain(ds)).toEqual({ checked: 6, broken: null });

        // An edit of the changes themselves is found as well.
        await asSuperuser(scratch!.url, [
          ['ALTER TABLE audit_log DISABLE TRIGGER USER'],
          [`UPDATE audit_log SET changes = jsonb_set(changes, '{step,after}', '42') WHERE seq = $1`, [seqs[4]]],
          ['ALTER TABLE audit_log ENABLE TRIGGER USER'],
        ]);
        expect(await verifyAuditChain(ds)).toEqual({
          checked: 4,
          broken: { seq: seqs[4], problem: expect.stringMatching(/edited/) },
        });

        // A removed entry breaks the link of the one after it (found before the later edit).
        await asSuperuser(scratch!.url, [
          ['ALTER TABLE audit_log DISABLE TRIGGER USER'],
          ['DELETE FROM audit_log WHERE seq = $1', [seqs[3]]],
          ['ALTER TABLE audit_log ENABLE TRIGGER USER'],
        ]);
        expect(await verifyAuditChain(ds)).toEqual({
          checked: 3,
          broken: { seq: seqs[4], problem: expect.stringMatching(/removed or inserted/) },
        });

        // The triggers are back: the application still cannot change anything.
        await expect(ds.query('DELETE FROM audit_log WHERE seq = $1', [seqs[0]])).rejects.toThrow(/append-only/);
      });
    });
  });
});
