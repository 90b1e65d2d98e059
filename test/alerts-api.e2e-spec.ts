import { AlertLinks } from '#alerts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import ical, { type VEvent } from 'node-ical';
import request from 'supertest';
import { PROBLEM_TYPES } from '../apps/api/src/http/problem-details.js';
import {
  type Created,
  createCase,
  createEvent,
  createHearing,
  createPerson,
  personBody,
  UNKNOWN_ID,
} from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Advocates, subscriptions, the public follow flow and the calendar feeds, through the API. */

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

let counter = 0;
const uniqueEmail = (label = 'advocate') => `${label}-${process.pid}-${++counter}@Example.org`;

interface ReminderRow {
  kind: string;
  status: string;
  lead_time: string | null;
  channel: string;
  due_at: Date;
  hearing_id: string | null;
  dedupe_key: string;
}

interface Problem {
  type: string;
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

const fieldsOf = (body: unknown) => ((body as Problem).errors ?? []).map((e) => e.field);

describe('alerts API', () => {
  let t: TestApp;
  let links: AlertLinks;

  beforeAll(async () => {
    t = await createTestApp();
    links = t.app.get(AlertLinks);
  });

  afterAll(async () => {
    await t.close();
  });

  const reminders = (subscriptionId: string, kind = 'reminder') =>
    t.dataSource.query<ReminderRow[]>(
      `SELECT kind, status, lead_time, channel, due_at, hearing_id, dedupe_key FROM reminders
        WHERE subscription_id = $1 AND kind = $2 ORDER BY due_at, channel`,
      [subscriptionId, kind],
    );

  const statusCounts = async (subscriptionId: string) => {
    const rows = await reminders(subscriptionId);
    return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  };

  async function createAdvocate(body: Record<string, unknown> = {}): Promise<Created & { webhookSecret: string }> {
    const res = await t.editor
      .post('/api/v1/advocates')
      .send({ name: 'Aigerim Tleuzhan', email: uniqueEmail(), timeZone: 'Europe/Berlin', ...body });
    expect(res.status).toBe(201);
    return res.body as Created & { webhookSecret: string };
  }

  async function createSubscription(body: Record<string, unknown>): Promise<Created & { status: string }> {
    const res = await t.editor.post('/api/v1/subscriptions').send(body);
    expect(res.status).toBe(201);
    return res.body as Created & { status: string };
  }

  async function caseWithPerson(tag: string, extra: Record<string, unknown> = {}) {
    const person = await createPerson(t, personBody(` ${tag}`));
    const kase = await createCase(t, {
      title: `Case of ${tag}`,
      stage: 'trial',
      participants: [{ personId: person.id, role: 'defendant' }],
      ...extra,
    });
    return { person, kase };
  }

  const calendarPath = async (advocateId: string) => {
    const res = await t.editor.get(`/api/v1/advocates/${advocateId}/calendar-url`).expect(200);
    return new URL((res.body as { url: string }).url).pathname;
  };

  const feed = async (path: string) => {
    const res = await request(t.http).get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    // Every content line ends with CRLF, the last one too (RFC 5545, 3.1).
    expect(res.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(res.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const events = Object.values(ical.sync.parseICS(res.text)).filter(
      (c): c is VEvent => (c as { type?: string } | undefined)?.type === 'VEVENT',
    );
    return { text: res.text, events };
  };

  describe('advocates', () => {
    it('creates an advocate: email lower-cased, the webhook secret shown once, secrets encrypted at rest', async () => {
      const email = uniqueEmail('Lawyer');
      const res = await t.editor.post('/api/v1/advocates').send({
        name: 'Bauyrzhan',
        email,
        language: 'ru',
        timeZone: 'Asia/Almaty',
        webhookUrl: 'https://hooks.example.org/case-tracker',
      });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const created = res.body as Record<string, unknown> & { id: string; webhookSecret: string };
      expect(created).toMatchObject({
        name: 'Bauyrzhan',
        email: email.toLowerCase(),
        language: 'ru',
        timeZone: 'Asia/Almaty',
        webhookUrl: 'https://hooks.example.org/case-tracker',
        hasWebhookSecret: true,
        personId: null,
        selfService: false,
        version: 1,
      });
      expect(created.webhookSecret).toMatch(/^ctw_[A-Za-z0-9_-]{43}$/);

      const got = await t.viewer.get(`/api/v1/advocates/${created.id}`).expect(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).not.toHaveProperty('webhookSecret');
      expect(JSON.stringify(got.body)).not.toContain(created.webhookSecret);

      // The URL is a credential: editors may read it, viewers not.
      await t.viewer.get(`/api/v1/advocates/${created.id}/calendar-url`).expect(403);
      const url = (await t.editor.get(`/api/v1/advocates/${created.id}/calendar-url`).expect(200)).body as {
        url: string;
      };
      const token = /\/calendar\/(ctc_[A-Za-z0-9_-]{43})\.ics$/.exec(url.url)![1]!;
      const [row] = await t.dataSource.query<
        Array<{ webhook_secret: string; calendar_token: string; calendar_token_hash: string }>
      >(`SELECT webhook_secret, calendar_token, calendar_token_hash FROM advocates WHERE id = $1`, [created.id]);
      expect(row!.webhook_secret).toMatch(/^enc:v1:/);
      expect(row!.calendar_token).toMatch(/^enc:v1:/);
      expect(row!.calendar_token_hash).toBe(createHash('sha256').update(token).digest('hex'));

      // The audit trail keeps neither secret in plain text.
      const [audit] = await t.dataSource.query<Array<{ changes: string; actor_label: string }>>(
        `SELECT changes::text AS changes, actor_label FROM audit_log WHERE entity_type = 'advocate' AND entity_id = $1`,
        [created.id],
      );
      expect(audit!.changes).not.toContain(created.webhookSecret);
      expect(audit!.changes).not.toContain(token);
      expect(audit!.changes).toContain('enc:v1:');
    });

    it('refuses invalid fields with their paths: time zone, webhook scheme and credentials, email, person', async () => {
      const restricted = await createPerson(t, personBody(' restricted relative', { visibility: 'restricted' }));
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
        [{ timeZone: '+06:00' }, ['timeZone']],
        [{ webhookUrl: 'ftp://files.example.org/hook' }, ['webhookUrl']],
        [{ webhookUrl: 'https://user:secret@hooks.example.org/' }, ['webhookUrl']],
        [{ webhookUrl: 'javascript:alert(1)' }, ['webhookUrl']],
        [{ email: 'not an email' }, ['email']],
        [{ language: 'kk' }, ['language']],
        [{ personId: UNKNOWN_ID }, ['personId']],
        // A restricted person the editor may not see is answered like an unknown one.
        [{ personId: restricted.id }, ['personId']],
        [{ unknownField: 1 }, ['unknownField']],
      ];
      for (const [override, fields] of cases) {
        const res = await t.editor
          .post('/api/v1/advocates')
          .send({ name: 'Invalid', email: uniqueEmail(), timeZone: 'Europe/Berlin', ...override });
        expect({ override, status: res.status }).toEqual({ override, status: 400 });
        expect((res.body as Problem).type).toBe(PROBLEM_TYPES.validation);
        expect(fieldsOf(res.body)).toEqual(fields);
      }
      const unknown = await t.editor
        .post('/api/v1/advocates')
        .send({ name: 'X', email: uniqueEmail(), timeZone: 'UTC', personId: UNKNOWN_ID });
      expect((unknown.body as Problem).errors).toEqual([
        { field: 'personId', message: `no person with id ${UNKNOWN_ID}` },
      ]);
      const scheme = await t.editor
        .post('/api/v1/advocates')
        .send({ name: 'X', email: uniqueEmail(), timeZone: 'UTC', webhookUrl: 'ftp://x.example.org/' });
      expect((scheme.body as Problem).errors).toEqual([
        { field: 'webhookUrl', message: 'must be an http or https URL' },
      ]);

      // An admin may see the restricted person, and link it; UTC is accepted as a zone.
      const linked = await t.admin
        .post('/api/v1/advocates')
        .send({ name: 'Relative', email: uniqueEmail(), timeZone: 'UTC', personId: restricted.id })
        .expect(201);
      expect(linked.body).toMatchObject({ personId: restricted.id, timeZone: 'UTC' });
      // Others read the advocate without the person they may not see.
      const seen = await t.editor.get(`/api/v1/advocates/${(linked.body as Created).id}`).expect(200);
      expect(seen.body).toMatchObject({ personId: null });
    });

    it('keeps emails unique among live advocates (409), whatever their case', async () => {
      const email = uniqueEmail('unique');
      const first = await createAdvocate({ email });
      const again = await t.editor
        .post('/api/v1/advocates')
        .send({ name: 'Twin', email: email.toUpperCase(), timeZone: 'UTC' });
      expect(again.status).toBe(409);
      expect((again.body as Problem).type).toBe(PROBLEM_TYPES.conflict);

      const other = await createAdvocate();
      const patch = await t.editor
        .patch(`/api/v1/advocates/${other.id}`)
        .set('If-Match', '"1"')
        .send({ email: email.toLowerCase() });
      expect(patch.status).toBe(409);

      // Archived, the address is free again; restoring the first while it is taken is refused.
      await t.editor.delete(`/api/v1/advocates/${first.id}`).set('If-Match', '"1"').expect(204);
      await t.editor.get(`/api/v1/advocates/${first.id}`).expect(404);
      const second = await createAdvocate({ email });
      expect((await t.editor.post(`/api/v1/advocates/${first.id}/restore`)).status).toBe(409);
      await t.editor.delete(`/api/v1/advocates/${second.id}`).set('If-Match', '"1"').expect(204);
      const restored = await t.editor.post(`/api/v1/advocates/${first.id}/restore`).expect(200);
      expect(restored.body).toMatchObject({ id: first.id, version: 3 });
    });

    it('versions changes with If-Match (428 without, 412 stale), lets viewers read and not write', async () => {
      const advocate = await createAdvocate();
      const path = `/api/v1/advocates/${advocate.id}`;
      expect((await t.editor.patch(path).send({ name: 'Renamed' })).status).toBe(428);
      const stale = await t.editor.patch(path).set('If-Match', '"7"').send({ name: 'Renamed' });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ currentVersion: 1 });
      expect((await t.viewer.patch(path).set('If-Match', '"1"').send({ name: 'Viewer' })).status).toBe(403);
      expect(
        (await t.viewer.post('/api/v1/advocates').send({ name: 'V', email: uniqueEmail(), timeZone: 'UTC' })).status,
      ).toBe(403);
      expect((await t.viewer.post(`${path}/webhook-secret`)).status).toBe(403);
      expect((await t.viewer.post(`${path}/calendar-url`)).status).toBe(403);

      const changed = await t.editor
        .patch(path)
        .set('If-Match', '"1"')
        .set('X-Change-Reason', 'moved to Almaty')
        .send({ name: 'Renamed', timeZone: 'Asia/Almaty', webhookUrl: 'http://hooks.example.org/x' });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({ name: 'Renamed', timeZone: 'Asia/Almaty', version: 2 });
      const invalid = await t.editor.patch(path).set('If-Match', '"2"').send({ timeZone: 'Nowhere/Special' });
      expect(fieldsOf(invalid.body)).toEqual(['timeZone']);

      const list = await t.viewer.get('/api/v1/advocates').query({ email: changed.body.email, limit: 5 }).expect(200);
      expect((list.body as { items: Created[] }).items.map((a) => a.id)).toEqual([advocate.id]);

      const history = await t.viewer.get(`${path}/history`).expect(200);
      const items = (history.body as { items: Array<{ action: string; reason: string | null; changes: unknown[] }> })
        .items;
      expect(items.map((i) => i.action)).toEqual(['create', 'update']);
      expect(items[1]!.reason).toBe('moved to Almaty');
    });

    it('rotates the webhook secret and the calendar URL; history shows secrets only as redacted changes', async () => {
      const advocate = await createAdvocate({ webhookUrl: 'https://hooks.example.org/a' });
      const path = `/api/v1/advocates/${advocate.id}`;
      const rotated = await t.editor.post(`${path}/webhook-secret`).expect(200);
      const secret = (rotated.body as { webhookSecret: string }).webhookSecret;
      expect(secret).toMatch(/^ctw_/);
      expect(secret).not.toBe(advocate.webhookSecret);

      const oldPath = await calendarPath(advocate.id);
      await request(t.http).get(oldPath).expect(200);
      const newUrl = (await t.editor.post(`${path}/calendar-url`).expect(200)).body as { url: string };
      const newPath = new URL(newUrl.url).pathname;
      expect(newPath).not.toBe(oldPath);
      expect(await calendarPath(advocate.id)).toBe(newPath);
      await request(t.http).get(oldPath).expect(404);
      await request(t.http).get(newPath).expect(200);

      const got = await t.editor.get(path).expect(200);
      expect(got.body).toMatchObject({ version: 3, hasWebhookSecret: true });
      const history = await t.admin.get(`${path}/history`).expect(200);
      const items = (
        history.body as {
          items: Array<{ changes: Array<{ field: string; before: unknown; after: unknown; redacted: boolean }> }>;
        }
      ).items;
      expect(items[1]!.changes).toEqual([{ field: 'webhookSecret', before: null, after: null, redacted: true }]);
      expect(items[2]!.changes).toEqual([{ field: 'calendarToken', before: null, after: null, redacted: true }]);
      expect(JSON.stringify(history.body)).not.toContain('enc:v1:');

      // Receivers often carry a secret of their own in the URL: viewers see only its origin.
      expect(got.body.webhookUrl).toBe('https://hooks.example.org/a');
      expect((await t.viewer.get(path).expect(200)).body.webhookUrl).toBe('https://hooks.example.org/…');
      const listed = await t.viewer.get('/api/v1/advocates').query({ email: advocate.email }).expect(200);
      expect(listed.body.items.map((a: { webhookUrl: string }) => a.webhookUrl)).toEqual([
        'https://hooks.example.org/…',
      ]);
      expect(JSON.stringify(history.body)).toContain('https://hooks.example.org/a');
      const viewerHistory = await t.viewer.get(`${path}/history`).expect(200);
      expect(JSON.stringify(viewerHistory.body)).not.toContain('hooks.example.org');
      expect(viewerHistory.body.items[0].changes).toContainEqual({
        field: 'webhookUrl',
        before: null,
        after: null,
        redacted: true,
      });
    });

    it('answers 404 for unknown advocates, and 400 for malformed ids', async () => {
      await t.viewer.get(`/api/v1/advocates/${UNKNOWN_ID}`).expect(404);
      await t.editor.get(`/api/v1/advocates/${UNKNOWN_ID}/calendar-url`).expect(404);
      await t.editor.post(`/api/v1/advocates/${UNKNOWN_ID}/webhook-secret`).expect(404);
      await t.viewer.get('/api/v1/advocates/not-a-uuid').expect(400);
    });
  });

  describe('subscriptions', () => {
    it('plans one reminder per lead time and channel for upcoming hearings; a lead time already past is skipped', async () => {
      const { kase } = await caseWithPerson('reminders');
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(3 * DAY) });
      const advocate = await createAdvocate({ webhookUrl: 'https://hooks.example.org/r' });
      const subscription = await createSubscription({
        advocateId: advocate.id,
        caseId: kase.id,
        leadTimes: ['P7D', 'P1D', 'PT2H'],
        channels: ['email', 'webhook'],
      });
      expect(subscription).toMatchObject({
        advocateId: advocate.id,
        caseId: kase.id,
        personId: null,
        eventId: null,
        leadTimes: ['P7D', 'P1D', 'PT2H'],
        channels: ['email', 'webhook'],
        announce: ['hearing-scheduled', 'hearing-changed', 'hearing-cancelled', 'custody-changed', 'verdict'],
        status: 'active',
        publicOnly: false,
        cancelledAt: null,
      });
      const rows = await reminders(subscription.id);
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.hearing_id === hearing.id)).toBe(true);
      const byLead = (lead: string) => rows.filter((r) => r.lead_time === lead);
      expect(byLead('P7D').map((r) => [r.channel, r.status])).toEqual([
        ['email', 'skipped'],
        ['webhook', 'skipped'],
      ]);
      for (const lead of ['P1D', 'PT2H']) {
        expect(byLead(lead).map((r) => [r.channel, r.status])).toEqual([
          ['email', 'scheduled'],
          ['webhook', 'scheduled'],
        ]);
      }
      const startsAt = new Date((hearing as unknown as { startsAt: string }).startsAt).getTime();
      expect(byLead('PT2H')[0]!.due_at.getTime()).toBe(startsAt - 2 * HOUR);

      // Audited, in the same transaction.
      const [audit] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'subscription' AND entity_id = $1`,
        [subscription.id],
      );
      expect(audit!.n).toBe(1);

      // Read back, listed by advocate and by case.
      const got = await t.viewer.get(`/api/v1/subscriptions/${subscription.id}`).expect(200);
      expect(got.body).toEqual(subscription);
      for (const query of [{ advocateId: advocate.id }, { caseId: kase.id }]) {
        const list = await t.viewer.get('/api/v1/subscriptions').query(query).expect(200);
        expect((list.body as { items: Created[] }).items.map((s) => s.id)).toEqual([subscription.id]);
      }
      const none = await t.viewer.get('/api/v1/subscriptions').query({ personId: UNKNOWN_ID }).expect(200);
      expect((none.body as { items: unknown[] }).items).toEqual([]);
    });

    it('follows a person (all their cases) and a mass event (all its cases)', async () => {
      const event = await createEvent(t);
      const { person, kase } = await caseWithPerson('follows person', { eventId: event.id });
      await createHearing(t, kase.id, { startsAt: inFuture(20 * DAY) });
      const advocate = await createAdvocate();
      const byPerson = await createSubscription({ advocateId: advocate.id, personId: person.id, leadTimes: ['P1D'] });
      const byEvent = await createSubscription({ advocateId: advocate.id, eventId: event.id, leadTimes: ['P2D'] });
      expect((await reminders(byPerson.id)).map((r) => r.status)).toEqual(['scheduled']);
      expect((await reminders(byEvent.id)).map((r) => r.status)).toEqual(['scheduled']);
      // A change of the person's custody is announced to both.
      await t.editor
        .post(`/api/v1/persons/${person.id}/custody-events`)
        .send({ status: 'house-arrest', from: { date: '2022-11', precision: 'approximate' } })
        .expect(201);
      for (const subscription of [byPerson, byEvent]) {
        const notices = await reminders(subscription.id, 'notice');
        expect(notices.map((r) => r.dedupe_key.split('/')[2])).toEqual(['custody-changed']);
      }
      const list = await t.viewer.get('/api/v1/subscriptions').query({ eventId: event.id }).expect(200);
      expect((list.body as { items: Created[] }).items.map((s) => s.id)).toEqual([byEvent.id]);
    });

    it("follows a case's changes: a person or mass event added gets its hearings' reminders, one removed loses them", async () => {
      const { kase } = await caseWithPerson('replanned');
      const joining = await createPerson(t, personBody(' joining'));
      const event = await createEvent(t);
      await createHearing(t, kase.id, { startsAt: inFuture(20 * DAY) });
      const advocate = await createAdvocate();
      const byPerson = await createSubscription({ advocateId: advocate.id, personId: joining.id, leadTimes: ['P1D'] });
      const byEvent = await createSubscription({ advocateId: advocate.id, eventId: event.id, leadTimes: ['P2D'] });
      const byCase = await createSubscription({ advocateId: advocate.id, caseId: kase.id, leadTimes: ['P3D'] });
      const statuses = async () =>
        Promise.all([byPerson, byEvent, byCase].map(async (s) => (await reminders(s.id)).map((r) => r.status)));
      expect(await statuses()).toEqual([[], [], ['scheduled']]);

      const participants = (
        kase as unknown as { participants: Array<{ personId: string; role: string }> }
      ).participants.map(({ personId, role }) => ({ personId, role }));
      const patch = (version: number, body: object) =>
        t.editor.patch(`/api/v1/cases/${kase.id}`).set('If-Match', `"${version}"`).send(body).expect(200);
      await patch(1, { participants: [...participants, { personId: joining.id, role: 'defendant' }] });
      await patch(2, { eventId: event.id });
      expect(await statuses()).toEqual([['scheduled'], ['scheduled'], ['scheduled']]);

      await patch(3, { participants, eventId: null });
      expect(await statuses()).toEqual([['cancelled'], ['cancelled'], ['scheduled']]);
      // A case made restricted or archived keeps no reminders; restored, they come back.
      await t.editor.delete(`/api/v1/cases/${kase.id}`).set('If-Match', '"4"').expect(204);
      expect(await statuses()).toEqual([['cancelled'], ['cancelled'], ['cancelled']]);
      await t.editor.post(`/api/v1/cases/${kase.id}/restore`).expect(200);
      expect(await statuses()).toEqual([['cancelled'], ['cancelled'], ['scheduled']]);
      // Changes that do not touch who follows it leave the reminders alone.
      const [{ n: before }] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM reminders WHERE case_id = $1`,
        [kase.id],
      );
      await patch(6, { stage: 'appeal' });
      const [{ n: after }] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM reminders WHERE case_id = $1`,
        [kase.id],
      );
      expect(after).toBe(before);
    });

    it('refuses bad lead times, channels and targets, each with its field path', async () => {
      const { kase } = await caseWithPerson('validation');
      const advocate = await createAdvocate();
      const send = (body: Record<string, unknown>) =>
        t.editor.post('/api/v1/subscriptions').send({ advocateId: advocate.id, caseId: kase.id, ...body });

      const leads = await send({ leadTimes: ['P1D', '-P1D', 'PT0S', 'P1M', 'P1Y', 'tomorrow', 'PT24H', 'P400D'] });
      expect(leads.status).toBe(400);
      expect(fieldsOf(leads.body)).toEqual([
        'leadTimes[1]',
        'leadTimes[2]',
        'leadTimes[3]',
        'leadTimes[4]',
        'leadTimes[5]',
        'leadTimes[6]',
        'leadTimes[7]',
      ]);
      expect((leads.body as Problem).errors![5]).toEqual({
        field: 'leadTimes[6]',
        message: 'repeats an earlier lead time',
      });
      const tooMany = await send({ leadTimes: Array.from({ length: 11 }, (_, i) => `PT${i + 1}H`) });
      expect(fieldsOf(tooMany.body)).toEqual(['leadTimes']);
      expect(fieldsOf((await send({ leadTimes: [] })).body)).toEqual(['leadTimes']);

      // The advocate has no webhook URL.
      const webhook = await send({ channels: ['email', 'webhook'] });
      expect((webhook.body as Problem).errors).toEqual([
        { field: 'channels[1]', message: 'the advocate has no webhook URL; set one first' },
      ]);
      expect(fieldsOf((await send({ channels: ['sms'] })).body)).toEqual(['channels']);
      expect(fieldsOf((await send({ announce: ['everything'] })).body)).toEqual(['announce']);

      // Exactly one target.
      const none = await t.editor.post('/api/v1/subscriptions').send({ advocateId: advocate.id });
      expect(fieldsOf(none.body)).toEqual(['caseId']);
      const two = await send({ personId: UNKNOWN_ID });
      expect(fieldsOf(two.body)).toEqual(['personId']);

      // Unknown records, all reported at once.
      const unknown = await t.editor
        .post('/api/v1/subscriptions')
        .send({ advocateId: UNKNOWN_ID, eventId: UNKNOWN_ID, leadTimes: ['P1M'] });
      expect((unknown.body as Problem).errors).toEqual([
        { field: 'advocateId', message: `no advocate with id ${UNKNOWN_ID}` },
        { field: 'eventId', message: `no event with id ${UNKNOWN_ID}` },
        { field: 'leadTimes[0]', message: expect.stringMatching(/months and years are refused/) },
      ]);
      const [row] = await t.dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM subscriptions WHERE advocate_id = $1',
        [advocate.id],
      );
      expect(row!.n).toBe(0);
    });

    it('refuses restricted and archived records like unknown ones, even to an admin', async () => {
      const restricted = await createCase(t, { title: 'Sealed case', stage: 'trial', visibility: 'restricted' });
      const archived = await createCase(t, { title: 'Archived case', stage: 'trial' });
      await t.admin.delete(`/api/v1/cases/${archived.id}`).set('If-Match', '"1"').expect(204);
      const advocate = await createAdvocate();
      for (const [client, id] of [
        [t.admin, restricted.id],
        [t.editor, restricted.id],
        [t.admin, archived.id],
        [t.admin, UNKNOWN_ID],
      ] as const) {
        const res = await client.post('/api/v1/subscriptions').send({ advocateId: advocate.id, caseId: id });
        expect(res.status).toBe(400);
        expect((res.body as Problem).errors).toEqual([{ field: 'caseId', message: `no case with id ${id}` }]);
      }
    });

    it('refuses a second subscription to the same record (409) and lets viewers read but not write', async () => {
      const { kase } = await caseWithPerson('duplicates');
      const advocate = await createAdvocate();
      const first = await createSubscription({ advocateId: advocate.id, caseId: kase.id });
      const again = await t.editor.post('/api/v1/subscriptions').send({ advocateId: advocate.id, caseId: kase.id });
      expect(again.status).toBe(409);
      expect((again.body as Problem).type).toBe(PROBLEM_TYPES.conflict);

      const viewer = await t.viewer.post('/api/v1/subscriptions').send({ advocateId: advocate.id, caseId: kase.id });
      expect(viewer.status).toBe(403);
      expect((await t.viewer.delete(`/api/v1/subscriptions/${first.id}`)).status).toBe(403);

      // Once ended, the record can be followed again.
      await t.editor.delete(`/api/v1/subscriptions/${first.id}`).expect(204);
      await createSubscription({ advocateId: advocate.id, caseId: kase.id });
    });

    it('moves reminders with a moved hearing, and cancels them when the hearing is cancelled', async () => {
      const { kase } = await caseWithPerson('moves');
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(10 * DAY) });
      const advocate = await createAdvocate();
      const subscription = await createSubscription({ advocateId: advocate.id, caseId: kase.id });
      const planned = await reminders(subscription.id);
      expect(planned.map((r) => [r.lead_time, r.status])).toEqual([
        ['P7D', 'scheduled'],
        ['P1D', 'scheduled'],
        ['PT2H', 'scheduled'],
      ]);

      const newStart = inFuture(12 * DAY);
      await t.editor
        .patch(`/api/v1/hearings/${hearing.id}`)
        .set('If-Match', '"1"')
        .send({ startsAt: newStart })
        .expect(200);
      const moved = await reminders(subscription.id);
      expect(moved).toHaveLength(6);
      const old = new Set(planned.map((r) => r.dedupe_key));
      expect(moved.filter((r) => old.has(r.dedupe_key)).map((r) => r.status)).toEqual([
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
      const fresh = moved.filter((r) => !old.has(r.dedupe_key));
      expect(fresh.map((r) => r.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
      expect(fresh.find((r) => r.lead_time === 'P1D')!.due_at.getTime()).toBe(new Date(newStart).getTime() - DAY);

      await t.editor
        .patch(`/api/v1/hearings/${hearing.id}`)
        .set('If-Match', '"2"')
        .send({ status: 'cancelled' })
        .expect(200);
      expect(await statusCounts(subscription.id)).toEqual({ cancelled: 6 });
    });

    it('stops the reminders of a hearing that was held without announcing a cancellation, and announces no past hearing', async () => {
      const { kase } = await caseWithPerson('held');
      const advocate = await createAdvocate();
      const subscription = await createSubscription({ advocateId: advocate.id, caseId: kase.id });
      const notices = async () =>
        (await reminders(subscription.id, 'notice')).map((r) => r.dedupe_key.split('/')[2]).sort();

      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(10 * DAY) });
      expect(await notices()).toEqual(['hearing-scheduled']);
      await t.editor
        .patch(`/api/v1/hearings/${hearing.id}`)
        .set('If-Match', '"1"')
        .send({ status: 'held', outcome: 'Adjourned after the prosecution spoke' })
        .expect(200);
      expect(await statusCounts(subscription.id)).toEqual({ cancelled: 3 });
      expect(await notices()).toEqual(['hearing-scheduled']);

      // Recording the history of a case: hearings that already took place tell followers nothing.
      const past = await createHearing(t, kase.id, { startsAt: new Date(Date.now() - 30 * DAY).toISOString() });
      await t.editor
        .patch(`/api/v1/hearings/${past.id}`)
        .set('If-Match', '"1"')
        .send({ court: 'Almaty City Court' })
        .expect(200);
      await t.editor
        .patch(`/api/v1/hearings/${past.id}`)
        .set('If-Match', '"2"')
        .send({ status: 'cancelled' })
        .expect(200);
      expect(await notices()).toEqual(['hearing-scheduled']);

      // A cancelled hearing ahead is announced as such.
      const ahead = await createHearing(t, kase.id, { startsAt: inFuture(20 * DAY) });
      await t.editor
        .patch(`/api/v1/hearings/${ahead.id}`)
        .set('If-Match', '"1"')
        .send({ status: 'cancelled' })
        .expect(200);
      expect(await notices()).toEqual(['hearing-cancelled', 'hearing-scheduled', 'hearing-scheduled']);
    });

    it('ends a subscription (kept as cancelled) and cancels its scheduled reminders', async () => {
      const { kase } = await caseWithPerson('ends');
      await createHearing(t, kase.id, { startsAt: inFuture(9 * DAY) });
      const advocate = await createAdvocate();
      const subscription = await createSubscription({ advocateId: advocate.id, caseId: kase.id });
      expect(await statusCounts(subscription.id)).toEqual({ scheduled: 3 });
      await t.editor
        .delete(`/api/v1/subscriptions/${subscription.id}`)
        .set('X-Change-Reason', 'no longer represents them')
        .expect(204);
      expect(await statusCounts(subscription.id)).toEqual({ cancelled: 3 });
      const got = await t.viewer.get(`/api/v1/subscriptions/${subscription.id}`).expect(200);
      expect(got.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
      // Ending it again changes nothing.
      await t.editor.delete(`/api/v1/subscriptions/${subscription.id}`).expect(204);
      await t.editor.delete(`/api/v1/subscriptions/${UNKNOWN_ID}`).expect(404);
      const [audit] = await t.dataSource.query<Array<{ n: number; reason: string }>>(
        `SELECT count(*)::int AS n, max(reason) AS reason FROM audit_log
          WHERE entity_type = 'subscription' AND entity_id = $1`,
        [subscription.id],
      );
      expect(audit).toEqual({ n: 2, reason: 'no longer represents them' });
    });

    it("cancels an archived advocate's scheduled reminders and plans them again on restore", async () => {
      const { kase } = await caseWithPerson('archived advocate');
      await createHearing(t, kase.id, { startsAt: inFuture(15 * DAY) });
      const advocate = await createAdvocate();
      const subscription = await createSubscription({ advocateId: advocate.id, caseId: kase.id, leadTimes: ['P1D'] });
      expect(await statusCounts(subscription.id)).toEqual({ scheduled: 1 });
      await t.editor.delete(`/api/v1/advocates/${advocate.id}`).expect(428);
      await t.editor.delete(`/api/v1/advocates/${advocate.id}`).set('If-Match', '"1"').expect(204);
      expect(await statusCounts(subscription.id)).toEqual({ cancelled: 1 });
      // Their subscriptions leave lists while they are archived.
      await t.viewer.get(`/api/v1/subscriptions/${subscription.id}`).expect(404);
      await t.editor.post(`/api/v1/advocates/${advocate.id}/restore`).expect(200);
      expect(await statusCounts(subscription.id)).toEqual({ scheduled: 1 });
    });

    it('needs a webhook URL and signing secret for the webhook channel', async () => {
      const kase = await createCase(t, { title: 'Webhook secret needed', stage: 'trial', visibility: 'public' });
      const email = uniqueEmail('self-service');
      await request(t.http).post(`/api/v1/public/cases/${kase.id}/follow`).send({ email }).expect(202);
      const [advocate] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM advocates WHERE email = $1 AND archived_at IS NULL`,
        [email.toLowerCase()],
      );
      // Made by the public form: no webhook secret.
      const got = await t.editor.get(`/api/v1/advocates/${advocate!.id}`).expect(200);
      expect(got.body).toMatchObject({ selfService: true, hasWebhookSecret: false, webhookUrl: null });
      await t.editor
        .patch(`/api/v1/advocates/${advocate!.id}`)
        .set('If-Match', '"1"')
        .send({ webhookUrl: 'https://hooks.example.org/self' })
        .expect(200);
      const body = { advocateId: advocate!.id, caseId: kase.id, channels: ['webhook'] };
      const refused = await t.editor.post('/api/v1/subscriptions').send(body);
      expect((refused.body as Problem).errors).toEqual([
        { field: 'channels[0]', message: expect.stringMatching(/no webhook signing secret/) },
      ]);
      await t.editor.post(`/api/v1/advocates/${advocate!.id}/webhook-secret`).expect(200);
      const other = await createCase(t, { title: 'Webhook secret made', stage: 'trial' });
      await t.editor
        .post('/api/v1/subscriptions')
        .send({ ...body, caseId: other.id })
        .expect(201);
      // The case they asked to follow publicly is followed already (pending confirmation).
      await t.editor.post('/api/v1/subscriptions').send(body).expect(409);
    });

    it('refuses to remove the webhook URL of an advocate whose subscriptions use it', async () => {
      const { kase } = await caseWithPerson('webhook in use');
      const advocate = await createAdvocate({ webhookUrl: 'https://hooks.example.org/in-use' });
      const subscription = await createSubscription({
        advocateId: advocate.id,
        caseId: kase.id,
        channels: ['webhook'],
      });
      const removeUrl = () =>
        t.editor.patch(`/api/v1/advocates/${advocate.id}`).set('If-Match', '"1"').send({ webhookUrl: null });
      const res = await removeUrl();
      expect(res.status).toBe(409);
      expect((res.body as { detail: string }).detail).toContain(subscription.id);
      // Once the case is restricted, the subscription is not named to an editor who may not see it.
      await t.admin
        .patch(`/api/v1/cases/${kase.id}`)
        .set('If-Match', '"1"')
        .send({ visibility: 'restricted' })
        .expect(200);
      await t.editor.get(`/api/v1/subscriptions/${subscription.id}`).expect(404);
      const hidden = await removeUrl();
      expect(hidden.status).toBe(409);
      expect((hidden.body as { detail: string }).detail).not.toContain(subscription.id);
      expect((hidden.body as { detail: string }).detail).toMatch(/you may not see/);
    });
  });

  describe('who hears of what, and notices that are out of date', () => {
    /** A confirmed self-service (public-only) subscription to a public case. */
    async function publicFollower(caseId: string): Promise<string> {
      const email = uniqueEmail('public');
      await request(t.http).post(`/api/v1/public/cases/${caseId}/follow`).send({ email }).expect(202);
      const [sub] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT s.id FROM subscriptions s JOIN advocates a ON a.id = s.advocate_id WHERE a.email = $1`,
        [email.toLowerCase()],
      );
      const confirm = new URL(links.confirmUrl(sub!.id));
      await request(t.http).post(`${confirm.pathname}${confirm.search}`).expect(200);
      return sub!.id;
    }

    const noticesOf = (subscriptionId: string) =>
      t.dataSource.query<Array<{ notice: string; hearing_id: string | null; status: string }>>(
        `SELECT notice, hearing_id, status FROM reminders WHERE subscription_id = $1 AND kind = 'notice' ORDER BY seq`,
        [subscriptionId],
      );

    const patchHearing = (id: string, version: number, body: Record<string, unknown>) =>
      t.admin.patch(`/api/v1/hearings/${id}`).set('If-Match', `"${version}"`).send(body).expect(200);

    it('announces a cancellation only to those who could see the hearing before it', async () => {
      const { kase } = await caseWithPerson('cancel audience', { visibility: 'public' });
      const announce = ['hearing-cancelled'];
      const staff = await createSubscription({ advocateId: (await createAdvocate()).id, caseId: kase.id, announce });
      const outsider = await publicFollower(kase.id);
      const internal = await createHearing(t, kase.id, { startsAt: inFuture(5 * DAY) });
      const restricted = await createHearing(t, kase.id, { startsAt: inFuture(6 * DAY), visibility: 'restricted' });
      const shown = await createHearing(t, kase.id, { startsAt: inFuture(7 * DAY), visibility: 'public' });
      const hiddenNow = await createHearing(t, kase.id, { startsAt: inFuture(8 * DAY), visibility: 'public' });
      for (const hearing of [internal, restricted, shown]) await patchHearing(hearing.id, 1, { status: 'cancelled' });
      // Restricted and cancelled at once: those who were told of it hear of the cancellation.
      await patchHearing(hiddenNow.id, 1, { status: 'cancelled', visibility: 'restricted' });

      const cancelled = async (subscriptionId: string) =>
        (await noticesOf(subscriptionId)).filter((n) => n.notice === 'hearing-cancelled').map((n) => n.hearing_id);
      expect((await cancelled(staff.id)).sort()).toEqual([internal.id, shown.id, hiddenNow.id].sort());
      expect((await cancelled(outsider)).sort()).toEqual([shown.id, hiddenNow.id].sort());
    });

    it('announces a hearing made public as scheduled to the followers who could not see it before', async () => {
      const { kase } = await caseWithPerson('made public', { visibility: 'public' });
      const announce = ['hearing-scheduled', 'hearing-changed'];
      const staff = await createSubscription({ advocateId: (await createAdvocate()).id, caseId: kase.id, announce });
      const outsider = await publicFollower(kase.id);
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(9 * DAY) });
      const told = async () =>
        Object.fromEntries(
          await Promise.all(
            [staff.id, outsider].map(async (id) => [id, (await noticesOf(id)).map((n) => n.notice)] as const),
          ),
        );
      expect(await told()).toEqual({ [staff.id]: ['hearing-scheduled'], [outsider]: [] });
      await t.dataSource.query(`UPDATE reminders SET status = 'sent' WHERE subscription_id = $1 AND kind = 'notice'`, [
        staff.id,
      ]);
      // Made public and moved at once: the public follower hears it is scheduled, staff that it moved.
      await patchHearing(hearing.id, 1, { visibility: 'public', startsAt: inFuture(10 * DAY) });
      expect(await told()).toEqual({
        [staff.id]: ['hearing-scheduled', 'hearing-changed'],
        [outsider]: ['hearing-scheduled'],
      });
      // Only the visibility changing back and forth tells the staff follower nothing new.
      await patchHearing(hearing.id, 2, { visibility: 'internal' });
      await patchHearing(hearing.id, 3, { visibility: 'public' });
      expect((await told())[staff.id]).toEqual(['hearing-scheduled', 'hearing-changed']);
      expect((await reminders(outsider)).filter((r) => r.status === 'scheduled')).toHaveLength(3);
    });

    it('announces the hearings of a case to followers who come to know of it (made public, a person added)', async () => {
      const { kase } = await caseWithPerson('case made public', { visibility: 'public' });
      const announce = ['hearing-scheduled', 'hearing-changed', 'hearing-cancelled'];
      const staff = await createSubscription({ advocateId: (await createAdvocate()).id, caseId: kase.id, announce });
      const outsider = await publicFollower(kase.id);
      const joining = await createPerson(t, personBody(' joins the case'));
      const byPerson = await createSubscription({
        advocateId: (await createAdvocate()).id,
        personId: joining.id,
        announce,
      });
      const patchCase = (version: number, body: object) =>
        t.admin.patch(`/api/v1/cases/${kase.id}`).set('If-Match', `"${version}"`).send(body).expect(200);
      await patchCase(1, { visibility: 'internal' });
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(9 * DAY), visibility: 'public' });
      const later = await createHearing(t, kase.id, { startsAt: inFuture(23 * DAY), visibility: 'public' });
      const past = await createHearing(t, kase.id, { startsAt: inFuture(-DAY), visibility: 'public' });
      const told = async () =>
        Object.fromEntries(
          await Promise.all(
            [staff.id, outsider, byPerson.id].map(
              async (id) => [id, (await noticesOf(id)).map((n) => `${n.notice} ${n.hearing_id}`).sort()] as const,
            ),
          ),
        );
      // Each hearing ahead is announced: both are told in one go when the case is shown.
      const scheduled = [hearing, later].map((h) => `hearing-scheduled ${h.id}`).sort();
      expect(await told()).toEqual({ [staff.id]: scheduled, [outsider]: [], [byPerson.id]: [] });

      // Public again: the public follower hears of the hearing it could not see; staff nothing new.
      await patchCase(2, { visibility: 'public' });
      expect(await told()).toEqual({ [staff.id]: scheduled, [outsider]: scheduled, [byPerson.id]: [] });
      expect((await reminders(outsider)).filter((r) => r.status === 'scheduled')).toHaveLength(6);

      // A followed person joins the case: their follower hears of its hearing ahead (not the past one).
      const participants = (
        kase as unknown as { participants: Array<{ personId: string; role: string }> }
      ).participants.map(({ personId, role }) => ({ personId, role }));
      await patchCase(3, { participants: [...participants, { personId: joining.id, role: 'defendant' }] });
      expect((await told())[byPerson.id]).toEqual(scheduled);
      expect(JSON.stringify(await told())).not.toContain(past.id);

      // Archived and restored, or changed in what does not touch its followers: nobody is told again.
      await t.admin.delete(`/api/v1/cases/${kase.id}`).set('If-Match', '"4"').expect(204);
      await t.admin.post(`/api/v1/cases/${kase.id}/restore`).expect(200);
      await patchCase(6, { title: 'Case made public, renamed' });
      expect(await told()).toEqual({ [staff.id]: scheduled, [outsider]: scheduled, [byPerson.id]: scheduled });
    });

    it('announces custody changes through a case only while its followers may see the case', async () => {
      const person = await createPerson(t, personBody(' custody audience', { visibility: 'public' }));
      const kase = await createCase(t, {
        title: 'Custody audience',
        stage: 'trial',
        visibility: 'public',
        participants: [{ personId: person.id, role: 'defendant' }],
      });
      const announce = ['custody-changed'];
      const staff = await createSubscription({ advocateId: (await createAdvocate()).id, caseId: kase.id, announce });
      const byPerson = await createSubscription({
        advocateId: (await createAdvocate()).id,
        personId: person.id,
        announce,
      });
      const outsider = await publicFollower(kase.id);
      let version = 1;
      const custodyNotices = async () => {
        await t.editor
          .post(`/api/v1/persons/${person.id}/custody-events`)
          .send({ status: 'house-arrest', from: { date: '2022-11', precision: 'approximate' }, visibility: 'public' })
          .expect(201);
        const counts = [];
        for (const id of [staff.id, byPerson.id, outsider]) {
          counts.push((await noticesOf(id)).filter((n) => n.notice === 'custody-changed').length);
        }
        return counts;
      };
      const setCase = async (visibility: string) => {
        await t.admin
          .patch(`/api/v1/cases/${kase.id}`)
          .set('If-Match', `"${version++}"`)
          .send({ visibility })
          .expect(200);
      };
      expect(await custodyNotices()).toEqual([1, 1, 1]);
      await setCase('internal');
      expect(await custodyNotices()).toEqual([2, 2, 1]);
      await setCase('restricted');
      expect(await custodyNotices()).toEqual([2, 3, 1]);
    });

    it('announces a corrected custody event or verdict again only when what the notice says changed', async () => {
      const { person, kase } = await caseWithPerson('corrections');
      const subscription = await createSubscription({
        advocateId: (await createAdvocate()).id,
        caseId: kase.id,
        announce: ['custody-changed', 'verdict'],
      });
      const count = async (notice: string) =>
        (await noticesOf(subscription.id)).filter((n) => n.notice === notice).length;
      const event = await t.editor
        .post(`/api/v1/persons/${person.id}/custody-events`)
        .send({ status: 'pretrial-detention', from: { date: '2022-03', precision: 'month' } })
        .expect(201);
      const correct = (version: number, body: Record<string, unknown>) =>
        t.editor
          .patch(`/api/v1/custody-events/${(event.body as Created).id}`)
          .set('If-Match', `"${version}"`)
          .send(body)
          .expect(200);
      await correct(1, { note: 'Confirmed by the lawyer', reason: 'lawyer confirmed' });
      expect(await count('custody-changed')).toBe(1);
      await correct(2, { place: 'Almaty', reason: 'place reported' });
      expect(await count('custody-changed')).toBe(2);

      const setOutcome = (version: number, note: string, sentence: Record<string, number>) =>
        t.editor
          .patch(`/api/v1/cases/${kase.id}`)
          .set('If-Match', `"${version}"`)
          .send({ outcome: { verdict: 'convicted', date: { date: '2022-12-15', precision: 'day' }, sentence, note } })
          .expect(200);
      await setOutcome(1, 'Appeal planned', { years: 5 });
      await setOutcome(2, 'Appeal filed', { years: 5 });
      expect(await count('verdict')).toBe(1);
      await setOutcome(3, 'Appeal filed', { years: 4 });
      expect(await count('verdict')).toBe(2);
    });

    it('does not confirm a follow request once its case is no longer public', async () => {
      const { kase } = await caseWithPerson('confirm after', { visibility: 'public' });
      const email = uniqueEmail('late');
      await request(t.http).post(`/api/v1/public/cases/${kase.id}/follow`).send({ email }).expect(202);
      const [sub] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT s.id FROM subscriptions s JOIN advocates a ON a.id = s.advocate_id WHERE a.email = $1`,
        [email.toLowerCase()],
      );
      await t.editor
        .patch(`/api/v1/cases/${kase.id}`)
        .set('If-Match', `"${kase.version}"`)
        .send({ visibility: 'internal' })
        .expect(200);
      const confirm = new URL(links.confirmUrl(sub!.id));
      const page = await request(t.http).get(`${confirm.pathname}${confirm.search}`);
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('Case of confirm after');
      const refused = await request(t.http).post(`${confirm.pathname}${confirm.search}`);
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual(['token']);
      const [after] = await t.dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM subscriptions WHERE id = $1`,
        [sub!.id],
      );
      expect(after).toEqual({ status: 'pending' });
    });

    it('cancels failed reminders of a moved hearing, so that no one retries the old countdown', async () => {
      const { kase } = await caseWithPerson('failed moved');
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(10 * DAY) });
      const subscription = await createSubscription({
        advocateId: (await createAdvocate()).id,
        caseId: kase.id,
        leadTimes: ['P1D'],
      });
      const [[planned]] = await t.dataSource.query<[Array<{ id: string }>, number]>(
        `UPDATE reminders SET status = 'failed', last_error = 'email: 550' WHERE subscription_id = $1 RETURNING id`,
        [subscription.id],
      );
      await patchHearing(hearing.id, 1, { startsAt: inFuture(11 * DAY) });
      const [old] = await t.dataSource.query<Array<{ status: string }>>(`SELECT status FROM reminders WHERE id = $1`, [
        planned!.id,
      ]);
      expect(old).toEqual({ status: 'cancelled' });
      await t.editor.post(`/api/v1/reminders/${planned!.id}/retry`).expect(409);
      expect(await statusCounts(subscription.id)).toEqual({ cancelled: 1, scheduled: 1 });
    });

    it('keeps one notice per hearing waiting: a later change replaces what was not sent yet', async () => {
      const { kase } = await caseWithPerson('superseded');
      const subscription = await createSubscription({
        advocateId: (await createAdvocate()).id,
        caseId: kase.id,
        leadTimes: ['P1D'],
        announce: ['hearing-scheduled', 'hearing-changed', 'hearing-cancelled'],
      });
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(10 * DAY) });
      // No worker here: the "scheduled" notice waits, and will give the hearing as it then is.
      await patchHearing(hearing.id, 1, { startsAt: inFuture(11 * DAY) });
      await patchHearing(hearing.id, 2, { courtroom: 'Courtroom 9' });
      expect(await noticesOf(subscription.id)).toEqual([
        { notice: 'hearing-scheduled', hearing_id: hearing.id, status: 'scheduled' },
      ]);
      // Once it went out, a change is announced; a second change replaces the first if unsent.
      await t.dataSource.query(`UPDATE reminders SET status = 'sent', sent_at = now() WHERE subscription_id = $1`, [
        subscription.id,
      ]);
      await patchHearing(hearing.id, 3, { startsAt: inFuture(12 * DAY) });
      await patchHearing(hearing.id, 4, { startsAt: inFuture(13 * DAY) });
      await patchHearing(hearing.id, 5, { status: 'cancelled' });
      expect((await noticesOf(subscription.id)).map((n) => [n.notice, n.status])).toEqual([
        ['hearing-scheduled', 'sent'],
        ['hearing-changed', 'cancelled'],
        ['hearing-changed', 'cancelled'],
        ['hearing-cancelled', 'scheduled'],
      ]);
    });
  });

  describe('public follow (double opt-in) and unsubscribe', () => {
    const follow = (caseId: string, body: Record<string, unknown>) =>
      request(t.http).post(`/api/v1/public/cases/${caseId}/follow`).send(body);

    const subscriptionsOf = (email: string) =>
      t.dataSource.query<Array<{ id: string; status: string; public_only: boolean; self_service: boolean }>>(
        `SELECT s.id, s.status, s.public_only, a.self_service FROM subscriptions s
           JOIN advocates a ON a.id = s.advocate_id
          WHERE a.email = $1 AND a.archived_at IS NULL ORDER BY s.seq`,
        [email.toLowerCase()],
      );

    it('makes a pending public-only subscription and a confirmation to send, answering the same every time', async () => {
      const { kase } = await caseWithPerson('public follow', { visibility: 'public' });
      const email = uniqueEmail('follower');
      const first = await follow(kase.id, { email, name: 'Follower', language: 'ru', timeZone: 'Asia/Almaty' });
      expect(first.status).toBe(202);
      const again = await follow(kase.id, { email: email.toUpperCase() });
      expect(again.status).toBe(202);
      expect(again.body).toEqual(first.body);
      expect(first.body).toEqual({ status: 'pending', message: expect.any(String) });

      const subs = await subscriptionsOf(email);
      expect(subs).toEqual([{ id: expect.any(String), status: 'pending', public_only: true, self_service: true }]);
      const confirmation = await reminders(subs[0]!.id, 'confirmation');
      expect(confirmation).toEqual([
        expect.objectContaining({
          kind: 'confirmation',
          channel: 'email',
          dedupe_key: `confirmation/${subs[0]!.id}`,
          status: expect.stringMatching(/^(scheduled|sending|sent|failed)$/),
        }),
      ]);
      expect(confirmation[0]!.due_at.getTime()).toBeLessThanOrEqual(Date.now());
      // No reminders before confirmation.
      expect(await reminders(subs[0]!.id)).toEqual([]);

      const [advocate] = await t.dataSource.query<Array<{ language: string; time_zone: string; name: string }>>(
        `SELECT language, time_zone, name FROM advocates WHERE email = $1 AND archived_at IS NULL`,
        [email.toLowerCase()],
      );
      expect(advocate).toEqual({ language: 'ru', time_zone: 'Asia/Almaty', name: 'Follower' });
      const [audit] = await t.dataSource.query<Array<{ actor_kind: string; actor_label: string }>>(
        `SELECT actor_kind, actor_label FROM audit_log WHERE entity_type = 'subscription' AND entity_id = $1`,
        [subs[0]!.id],
      );
      expect(audit).toEqual({ actor_kind: 'system', actor_label: 'public-follow' });
    });

    it('sends the confirmation again when asked again later, a few times at most', async () => {
      const { kase } = await caseWithPerson('asked again', { visibility: 'public' });
      const email = uniqueEmail('again');
      const confirmations = async () =>
        (
          await t.dataSource.query<Array<{ dedupe_key: string }>>(
            `SELECT r.dedupe_key FROM reminders r JOIN advocates a ON a.id = r.advocate_id
              WHERE a.email = $1 AND r.kind = 'confirmation' ORDER BY r.seq`,
            [email.toLowerCase()],
          )
        ).map((r) => r.dedupe_key);
      const later = () =>
        t.dataSource.query(
          `UPDATE reminders SET created_at = created_at - interval '11 minutes'
            WHERE advocate_id = (SELECT id FROM advocates WHERE email = $1 AND archived_at IS NULL)`,
          [email.toLowerCase()],
        );
      const first = await follow(kase.id, { email }).expect(202);
      const [sub] = await subscriptionsOf(email);
      // At once: nothing more (a double click, or someone flooding the address).
      expect((await follow(kase.id, { email }).expect(202)).body).toEqual(first.body);
      expect(await confirmations()).toEqual([`confirmation/${sub!.id}`]);
      await later();
      await follow(kase.id, { email }).expect(202);
      await later();
      await follow(kase.id, { email }).expect(202);
      await later();
      await follow(kase.id, { email }).expect(202);
      expect(await confirmations()).toEqual([
        `confirmation/${sub!.id}`,
        `confirmation/${sub!.id}/2`,
        `confirmation/${sub!.id}/3`,
      ]);
      expect(await subscriptionsOf(email)).toHaveLength(1);
    });

    it('answers 404 for cases that are not public and live, and 400 for bad input', async () => {
      const internal = await createCase(t, { title: 'Internal case', stage: 'trial' });
      const archived = await createCase(t, { title: 'Archived public case', stage: 'trial', visibility: 'public' });
      await t.admin.delete(`/api/v1/cases/${archived.id}`).set('If-Match', '"1"').expect(204);
      for (const id of [internal.id, archived.id, UNKNOWN_ID]) {
        const res = await follow(id, { email: uniqueEmail('nobody') });
        expect(res.status).toBe(404);
        expect((res.body as Problem).type).toBe(PROBLEM_TYPES.notFound);
      }
      const { kase } = await caseWithPerson('public bad input', { visibility: 'public' });
      expect(fieldsOf((await follow(kase.id, { email: 'nope' })).body)).toEqual(['email']);
      expect(fieldsOf((await follow(kase.id, { email: uniqueEmail(), timeZone: 'Bad/Zone' })).body)).toEqual([
        'timeZone',
      ]);
      expect(fieldsOf((await follow(kase.id, { email: uniqueEmail(), channels: ['webhook'] })).body)).toEqual([
        'channels',
      ]);
      expect((await follow('not-a-uuid', { email: uniqueEmail() })).status).toBe(400);
    });

    it('shows the public page of a public case (public material only), 404 for any other case', async () => {
      const shownPerson = await createPerson(t, personBody(' public page', { visibility: 'public' }));
      const internalPerson = await createPerson(t, personBody(' internal defendant'));
      const lawyer = await createPerson(t, { ...personBody(' lawyer', { visibility: 'public' }) });
      const kase = await createCase(t, {
        title: 'Prosecution of the public page',
        stage: 'trial',
        court: 'Specialised inter-district criminal court of Almaty',
        visibility: 'public',
        notes: 'Family asked not to be named',
        charges: [{ article: 'Art. 274 part 4', description: 'Dissemination of knowingly false information' }],
        participants: [
          { personId: shownPerson.id, role: 'defendant' },
          { personId: internalPerson.id, role: 'defendant' },
          { personId: lawyer.id, role: 'lawyer' },
        ],
      });
      // Before and after Kazakhstan's change of offset on 1 March 2024.
      const past = await createHearing(t, kase.id, {
        startsAt: '2024-02-15T10:00',
        court: 'Almaty City Court',
        courtroom: 'Courtroom 4',
        kind: 'trial',
        visibility: 'public',
      });
      const next = await createHearing(t, kase.id, { startsAt: inFuture(5 * DAY), visibility: 'public' });
      await createHearing(t, kase.id, { startsAt: inFuture(6 * DAY), court: 'Closed session court' });
      await createHearing(t, kase.id, { startsAt: '2024-03-15T10:00', visibility: 'restricted' });

      const json = await request(t.http).get(`/api/v1/public/cases/${kase.id}`).accept('json').expect(200);
      expect(json.body).toEqual({
        id: kase.id,
        title: 'Prosecution of the public page',
        country: null,
        court: 'Specialised inter-district criminal court of Almaty',
        stage: 'trial',
        verdict: null,
        defendants: ['Zhanbolat Mamay public page'],
        charges: [{ article: 'Art. 274 part 4', description: 'Dissemination of knowingly false information' }],
        upcomingHearings: [expect.objectContaining({ id: next.id, status: 'scheduled', timeZone: 'Asia/Almaty' })],
        pastHearings: [
          {
            id: past.id,
            startsAt: '2024-02-15T04:00:00.000Z',
            localStartsAt: '2024-02-15T10:00:00+06:00',
            timeZone: 'Asia/Almaty',
            court: 'Almaty City Court',
            courtroom: 'Courtroom 4',
            kind: 'trial',
            status: 'scheduled',
          },
        ],
        links: { calendar: links.caseCalendarUrl(kase.id), follow: links.followUrl(kase.id) },
      });

      const html = await request(t.http).get(`/api/v1/public/cases/${kase.id}`).expect(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain('<h1>Prosecution of the public page</h1>');
      expect(html.text).toContain('Defendants: Zhanbolat Mamay public page.');
      expect(html.text).toContain(
        'Thursday, 15 February 2024, 10:00 (Asia/Almaty, UTC+06:00): trial hearing, Almaty City Court',
      );
      expect(html.text).toContain(`<form method="post" action="${kase.id}/follow">`);
      // The follower picks the zone of their alerts; the court's is chosen until they do.
      expect(html.text).toContain('<select name="timeZone"><option>UTC</option>');
      expect(html.text.match(/<option selected>[^<]*<\/option>/g)).toEqual(['<option selected>Asia/Almaty</option>']);
      expect(html.text).toContain('<option>Europe/Amsterdam</option>');
      expect(html.text).not.toContain('Etc/');
      expect(html.text).toContain(links.caseCalendarUrl(kase.id));
      for (const text of [html.text, JSON.stringify(json.body)]) {
        for (const secret of ['internal defendant', 'lawyer', 'Family asked', 'Closed session', '2024-03-15']) {
          expect(text).not.toContain(secret);
        }
      }

      const internal = await createCase(t, { title: 'Internal page', stage: 'trial' });
      const restricted = await createCase(t, { title: 'Restricted page', stage: 'trial', visibility: 'restricted' });
      const archived = await createCase(t, { title: 'Archived page', stage: 'trial', visibility: 'public' });
      await t.admin.delete(`/api/v1/cases/${archived.id}`).set('If-Match', '"1"').expect(204);
      for (const id of [internal.id, restricted.id, archived.id, UNKNOWN_ID]) {
        const res = await request(t.http).get(`/api/v1/public/cases/${id}`);
        expect({ id, status: res.status, type: res.headers['content-type'] }).toEqual({
          id,
          status: 404,
          type: expect.stringMatching(/^application\/problem\+json/),
        });
        expect(res.text).not.toMatch(/Internal page|Restricted page|Archived page/);
      }
      expect((await request(t.http).get('/api/v1/public/cases/not-a-uuid')).status).toBe(400);
    });

    it('follows by the form of the public page, answering with a page', async () => {
      const { kase } = await caseWithPerson('follow form', { visibility: 'public' });
      const email = uniqueEmail('form');
      const res = await request(t.http)
        .post(`/api/v1/public/cases/${kase.id}/follow`)
        .type('form')
        .send({ email, language: 'ru', timeZone: 'Asia/Almaty' })
        .expect(202);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Check your email');
      expect(await subscriptionsOf(email)).toEqual([
        { id: expect.any(String), status: 'pending', public_only: true, self_service: true },
      ]);
      const [advocate] = await t.dataSource.query<Array<{ language: string; time_zone: string }>>(
        `SELECT language, time_zone FROM advocates WHERE email = $1 AND archived_at IS NULL`,
        [email.toLowerCase()],
      );
      expect(advocate).toEqual({ language: 'ru', time_zone: 'Asia/Almaty' });
      // A bad address is refused as in JSON; other routes still read no forms.
      const bad = await request(t.http)
        .post(`/api/v1/public/cases/${kase.id}/follow`)
        .type('form')
        .send({ email: 'nope' });
      expect(fieldsOf(bad.body)).toEqual(['email']);
      const elsewhere = await t.editor
        .post('/api/v1/advocates')
        .type('form')
        .send({ name: 'Form', email: uniqueEmail() });
      expect(elsewhere.status).toBe(415);
    });

    it('activates by the confirmation link, planning reminders for public hearings only', async () => {
      const { kase } = await caseWithPerson('confirm', { visibility: 'public' });
      const publicHearing = await createHearing(t, kase.id, { startsAt: inFuture(5 * DAY), visibility: 'public' });
      await createHearing(t, kase.id, { startsAt: inFuture(6 * DAY) });
      const email = uniqueEmail('confirmer');
      await follow(kase.id, { email }).expect(202);
      const [sub] = await subscriptionsOf(email);

      const bad = await request(t.http).get('/api/v1/public/subscriptions/confirm').query({ token: 'forged' });
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^text\/html/);
      // An unsubscribe token does not confirm.
      const wrongPurpose = await request(t.http)
        .get('/api/v1/public/subscriptions/confirm')
        .query({ token: links.token('unsubscribe', sub!.id) });
      expect(wrongPurpose.status).toBe(400);
      expect((await subscriptionsOf(email))[0]!.status).toBe('pending');

      const confirmUrl = new URL(links.confirmUrl(sub!.id));
      const path = `${confirmUrl.pathname}${confirmUrl.search}`;
      // Opening the link (as a mail scanner would) only shows a button that posts to it.
      const shown = await request(t.http).get(path).expect(200);
      expect(shown.headers['content-type']).toMatch(/^text\/html/);
      expect(shown.text).toContain('<form method="post" action="confirm?token=');
      expect(shown.text).toContain('Case of confirm');
      expect((await subscriptionsOf(email))[0]!.status).toBe('pending');
      expect(await reminders(sub!.id)).toEqual([]);
      // A forged or wrong token does not confirm by POST either.
      await request(t.http).post('/api/v1/public/subscriptions/confirm').query({ token: 'forged' }).expect(400);

      const confirmed = await request(t.http).post(path).type('form').send('');
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers['content-type']).toMatch(/^text\/html/);
      expect(confirmed.text).toContain('You now follow');
      expect(confirmed.text).toContain('Case of confirm');
      expect((await subscriptionsOf(email))[0]!.status).toBe('active');
      const planned = await reminders(sub!.id);
      expect(planned.map((r) => [r.hearing_id, r.lead_time, r.status])).toEqual([
        [publicHearing.id, 'P7D', 'skipped'],
        [publicHearing.id, 'P1D', 'scheduled'],
        [publicHearing.id, 'PT2H', 'scheduled'],
      ]);
      // Confirming again changes nothing; the page now says it is confirmed.
      await request(t.http).post(path).expect(200);
      expect(await reminders(sub!.id)).toHaveLength(3);
      const again = await request(t.http).get(path).expect(200);
      expect(again.text).toContain('You now follow');
      expect(again.text).not.toContain('<form');
      // Following again (already active) answers the same and makes nothing.
      await follow(kase.id, { email }).expect(202);
      expect(await subscriptionsOf(email)).toHaveLength(1);
    });

    it('unsubscribes by one-click POST; the GET page only shows a button', async () => {
      const { kase } = await caseWithPerson('unsubscribe', { visibility: 'public' });
      await createHearing(t, kase.id, { startsAt: inFuture(8 * DAY), visibility: 'public' });
      const email = uniqueEmail('leaver');
      await follow(kase.id, { email }).expect(202);
      const [sub] = await subscriptionsOf(email);
      const confirm = new URL(links.confirmUrl(sub!.id));
      await request(t.http).post(`${confirm.pathname}${confirm.search}`).expect(200);
      expect(await statusCounts(sub!.id)).toEqual({ scheduled: 3 });

      const url = new URL(links.unsubscribeUrl(sub!.id));
      const target = `${url.pathname}${url.search}`;
      const pageRes = await request(t.http).get(target);
      expect(pageRes.status).toBe(200);
      expect(pageRes.headers['content-type']).toMatch(/^text\/html/);
      expect(pageRes.text).toContain('<form method="post"');
      expect(pageRes.text).toContain('name="List-Unsubscribe" value="One-Click"');
      expect((await subscriptionsOf(email))[0]!.status).toBe('active');
      expect(await statusCounts(sub!.id)).toEqual({ scheduled: 3 });

      const bad = await request(t.http)
        .post('/api/v1/public/unsubscribe?token=forged')
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);

      const oneClick = await request(t.http).post(target).type('form').send('List-Unsubscribe=One-Click');
      expect(oneClick.status).toBe(200);
      expect((await subscriptionsOf(email))[0]!.status).toBe('cancelled');
      expect(await statusCounts(sub!.id)).toEqual({ cancelled: 3 });
      // Again: still fine, nothing more changes; the page now says so.
      await request(t.http).post(target).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect((await request(t.http).get(target).expect(200)).text).toContain('You are unsubscribed');
      const [audit] = await t.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_log
          WHERE entity_type = 'subscription' AND entity_id = $1 AND actor_label = 'public-unsubscribe'`,
        [sub!.id],
      );
      expect(audit!.n).toBe(1);
      // An ended request cannot be confirmed any more.
      await request(t.http).get(`${confirm.pathname}${confirm.search}`).expect(400);
      await request(t.http).post(`${confirm.pathname}${confirm.search}`).expect(400);
    });
  });

  describe('calendar feeds', () => {
    it("lists an advocate's hearings with stable UIDs, sequences, statuses and the court's zone", async () => {
      const { kase } = await caseWithPerson('calendar', { court: 'Almaty City Court' });
      const before = await createHearing(t, kase.id, {
        startsAt: '2024-02-15T10:00',
        court: 'Almaty City Court',
        courtroom: 'Courtroom 4',
        kind: 'trial',
      });
      const after = await createHearing(t, kase.id, { startsAt: '2024-03-15T10:00', kind: 'verdict' });
      const hidden = await createHearing(t, kase.id, { startsAt: '2024-04-01T10:00', visibility: 'restricted' });
      const removed = await createHearing(t, kase.id, { startsAt: '2024-04-02T10:00' });
      await t.admin.delete(`/api/v1/hearings/${removed.id}`).set('If-Match', '"1"').expect(204);
      const advocate = await createAdvocate();
      await createSubscription({ advocateId: advocate.id, caseId: kase.id });
      const path = await calendarPath(advocate.id);
      expect(path).toMatch(/^\/calendar\/ctc_[A-Za-z0-9_-]{43}\.ics$/);

      const first = await feed(path);
      expect(first.events.map((e) => e.uid).sort()).toEqual(
        [`${before.id}@case-tracker`, `${after.id}@case-tracker`].sort(),
      );
      expect(first.text).not.toContain(hidden.id);
      expect(first.text).toContain('DTSTART;TZID=Asia/Almaty:20240215T100000');
      expect(first.text).toContain('DTSTART;TZID=Asia/Almaty:20240315T100000');
      expect(first.text).toContain('BEGIN:VTIMEZONE');
      expect(first.text).toContain('TZOFFSETTO:+0500');
      const event = (id: string, events: VEvent[]) => events.find((e) => e.uid === `${id}@case-tracker`)!;
      const e1 = event(before.id, first.events);
      const e2 = event(after.id, first.events);
      // Local times as entered, at the offsets in force: UTC+6 before 1 March 2024, UTC+5 after.
      expect(e1.start.toISOString()).toBe('2024-02-15T04:00:00.000Z');
      expect(e2.start.toISOString()).toBe('2024-03-15T05:00:00.000Z');
      expect(e1.start.tz).toBe('Asia/Almaty');
      expect(e1.sequence).toBe(0);
      expect(e1.status).toBe('CONFIRMED');
      expect(String(e1.summary)).toContain('Case of calendar');
      expect(String(e1.location)).toBe('Almaty City Court, Courtroom 4');
      expect(String(e1.description)).toContain(links.caseUrl(kase.id));

      // Each change raises the sequence; a postponed hearing stays in the feed, cancelled.
      await t.editor
        .patch(`/api/v1/hearings/${before.id}`)
        .set('If-Match', '"1"')
        .send({ courtroom: 'Courtroom 7' })
        .expect(200);
      await t.editor
        .patch(`/api/v1/hearings/${before.id}`)
        .set('If-Match', '"2"')
        .send({ status: 'postponed', postponedToId: after.id })
        .expect(200);
      const second = await feed(path);
      const moved = event(before.id, second.events);
      expect(moved.sequence).toBe(2);
      expect(moved.status).toBe('CANCELLED');
      expect(event(after.id, second.events).status).toBe('CONFIRMED');

      // Ending the subscription empties the feed.
      const [sub] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM subscriptions WHERE advocate_id = $1`,
        [advocate.id],
      );
      await t.editor.delete(`/api/v1/subscriptions/${sub!.id}`).expect(204);
      expect((await feed(path)).events).toEqual([]);
    });

    it('gives public-only subscriptions public hearings of public cases only', async () => {
      const { kase } = await caseWithPerson('public calendar', { visibility: 'public' });
      const shown = await createHearing(t, kase.id, { startsAt: inFuture(30 * DAY), visibility: 'public' });
      await createHearing(t, kase.id, { startsAt: inFuture(31 * DAY) });
      const email = uniqueEmail('public-calendar');
      await request(t.http).post(`/api/v1/public/cases/${kase.id}/follow`).send({ email }).expect(202);
      const [advocate] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM advocates WHERE email = $1 AND archived_at IS NULL`,
        [email.toLowerCase()],
      );
      const path = await calendarPath(advocate!.id);
      // Pending: nothing yet.
      expect((await feed(path)).events).toEqual([]);
      const [sub] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM subscriptions WHERE advocate_id = $1`,
        [advocate!.id],
      );
      const confirm = new URL(links.confirmUrl(sub!.id));
      await request(t.http).post(`${confirm.pathname}${confirm.search}`).expect(200);
      expect((await feed(path)).events.map((e) => e.uid)).toEqual([`${shown.id}@case-tracker`]);
    });

    it('leaves out the hearings followed through a person whose record is restricted since', async () => {
      const { person, kase } = await caseWithPerson('feed person');
      const hearing = await createHearing(t, kase.id, { startsAt: inFuture(9 * DAY) });
      const advocate = await createAdvocate();
      await createSubscription({ advocateId: advocate.id, personId: person.id });
      const path = await calendarPath(advocate.id);
      expect((await feed(path)).events.map((e) => e.uid)).toEqual([`${hearing.id}@case-tracker`]);
      await t.admin
        .patch(`/api/v1/persons/${person.id}`)
        .set('If-Match', `"${person.version}"`)
        .send({ visibility: 'restricted' })
        .expect(200);
      expect((await feed(path)).events).toEqual([]);
    });

    it('serves the public feed of a public case, and 404 for other cases and unknown tokens', async () => {
      const { kase } = await caseWithPerson('case feed', { visibility: 'public' });
      const shown = await createHearing(t, kase.id, { startsAt: '2024-02-20T09:30', visibility: 'public' });
      await createHearing(t, kase.id, { startsAt: '2024-02-21T09:30' });
      const caseFeed = await feed(`/calendar/cases/${kase.id}.ics`);
      expect(caseFeed.events.map((e) => e.uid)).toEqual([`${shown.id}@case-tracker`]);
      expect(caseFeed.text).toContain('DTSTART;TZID=Asia/Almaty:20240220T093000');
      // 02:30 comes twice in Amsterdam on 31 October 2027: both are written in UTC (a local time
      // there means the first by RFC 5545, 3.3.5, and parsers differ).
      const first = await createHearing(t, kase.id, {
        startsAt: '2027-10-31T02:30+02:00',
        timeZone: 'Europe/Amsterdam',
        visibility: 'public',
      });
      const second = await createHearing(t, kase.id, {
        startsAt: '2027-10-31T02:30+01:00',
        timeZone: 'Europe/Amsterdam',
        visibility: 'public',
      });
      const twice = await feed(`/calendar/cases/${kase.id}.ics`);
      expect(twice.text).toContain('DTSTART:20271031T003000Z');
      expect(twice.text).toContain('DTSTART:20271031T013000Z');
      const starts = Object.fromEntries(twice.events.map((e) => [e.uid, e.start.toISOString()]));
      expect(starts[`${first.id}@case-tracker`]).toBe('2027-10-31T00:30:00.000Z');
      expect(starts[`${second.id}@case-tracker`]).toBe('2027-10-31T01:30:00.000Z');
      // Entries of a public case link to its public page.
      expect(String(caseFeed.events[0]!.description)).toContain(links.publicCaseUrl(kase.id));
      // The calendar's name is the case title, escaped: a line break in it cannot add a line.
      const title = 'Case feed; the appeal, part 2\nBEGIN:VEVENT';
      await t.admin.patch(`/api/v1/cases/${kase.id}`).set('If-Match', `"${kase.version}"`).send({ title }).expect(200);
      const renamed = await feed(`/calendar/cases/${kase.id}.ics`);
      expect(renamed.text).toContain('X-WR-CALNAME:Hearings: Case feed\\; the appeal\\, part 2\\nBEGIN:VEVENT\r\n');
      expect(renamed.text.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(3);

      const internal = await createCase(t, { title: 'Internal feed', stage: 'trial' });
      for (const path of [
        `/calendar/cases/${internal.id}.ics`,
        `/calendar/cases/${UNKNOWN_ID}.ics`,
        `/calendar/ctc_${'A'.repeat(43)}.ics`,
        '/calendar/not-a-token.ics',
        `/api/v1/calendar/cases/${kase.id}.ics`,
      ]) {
        const res = await request(t.http).get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
      expect((await request(t.http).get('/calendar/cases/not-a-uuid.ics')).status).toBe(400);
    });

    it('stops serving the feed of an archived advocate', async () => {
      const advocate = await createAdvocate();
      const path = await calendarPath(advocate.id);
      await request(t.http).get(path).expect(200);
      await t.editor.delete(`/api/v1/advocates/${advocate.id}`).set('If-Match', '"1"').expect(204);
      await request(t.http).get(path).expect(404);
    });
  });
});
