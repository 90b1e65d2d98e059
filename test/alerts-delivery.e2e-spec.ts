import {
  DELIVERY_QUEUE,
  type DeliveryJob,
  deliveryJobId,
  DeliveryQueue,
  DeliveryService,
  Reconciler,
  verifyWebhookSignature,
} from '#alerts';
import { Keyring } from '#encryption';
import { REDIS_CLIENT } from '#queue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import request from 'supertest';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { createCase, createPerson, personBody } from './support/fixtures.js';
import { type SmtpCapture, startSmtp, startWebhookReceiver, type WebhookCapture } from './support/delivery-servers.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Delivery of reminders end to end: the real API plans them, real in-process workers (and, for
 * the crash test, real worker processes) send them through a real SMTP server and to a real
 * webhook receiver. This file has a database of its own (workers reconcile every reminder in
 * their database, so other files' reminders must not be theirs) and a Redis prefix of its own.
 */

const TIMING_TOLERANCE_MS = 2000;
const DELIVERY_ATTEMPTS = 5;

interface ReminderRow {
  id: string;
  kind: string;
  notice: string | null;
  lead_time: string | null;
  channel: string;
  status: string;
  attempts: number;
  due_at: Date;
  sent_at: Date | null;
  last_error: string | null;
  hearing_id: string | null;
  advocate_id: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** On the domain of this file's MAIL_FROM. */
const messageId = (reminderId: string) => `<${reminderId}@tracker.example.org>`;
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe('delivery of reminders and notices', () => {
  let scratch: ScratchDatabase;
  let t: TestApp;
  let smtp: SmtpCapture;
  let hooks: WebhookCapture;
  let worker: TestingModule | null = null;
  let redis: Redis;
  const saved: Record<string, string | undefined> = {};
  let prefix: string;

  const query = <T = unknown>(sql: string, params: unknown[] = []) => t.dataSource.query<T>(sql, params);

  const reminders = (where: string, params: unknown[]) =>
    query<ReminderRow[]>(`SELECT * FROM reminders WHERE ${where} ORDER BY due_at, seq`, params);

  const startWorker = async () => {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await moduleRef.init();
    return moduleRef;
  };

  async function deleteRedisKeys(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    hooks = await startWebhookReceiver();
    scratch = await createScratchDatabase('delivery');
    prefix = `${process.env.QUEUE_PREFIX}-delivery`;
    const env: Record<string, string> = {
      DATABASE_URL: scratch.url,
      QUEUE_PREFIX: prefix,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Case tracker <alerts@tracker.example.org>',
      PUBLIC_BASE_URL: 'https://tracker.example.org',
      DELIVERY_ATTEMPTS: String(DELIVERY_ATTEMPTS),
      DELIVERY_BACKOFF_MS: '300',
      RECONCILE_INTERVAL_SECONDS: '2',
      WORKER_CONCURRENCY: '20',
      WORKER_HEALTH_PORT: '0',
    };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    t = await createTestApp();
    redis = t.app.get<Redis>(REDIS_CLIENT);
    worker = await startWorker();
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    if (t) {
      await deleteRedisKeys();
      await t.close();
    }
    await hooks?.close();
    await smtp?.stop();
    await scratch?.drop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }, 60_000);

  /** A case with one defendant, made through the API. */
  async function newCase(title: string) {
    const person = await createPerson(t, personBody(` ${title}`));
    return createCase(t, { title, stage: 'trial', participants: [{ personId: person.id, role: 'defendant' }] });
  }

  /** An advocate, inserted directly (the advocates API is tested elsewhere). */
  async function newAdvocate(options: { language?: string; timeZone?: string; webhookUrl?: string } = {}) {
    const keyring = t.app.get(Keyring);
    const token = `ctc_${randomBytes(32).toString('base64url')}`;
    const secret = `ctw_${randomBytes(32).toString('base64url')}`;
    const email = `advocate-${randomBytes(4).toString('hex')}@example.org`;
    const [row] = await query<Array<{ id: string }>>(
      `INSERT INTO advocates (name, email, language, time_zone, webhook_url, webhook_secret, calendar_token_hash,
                              calendar_token)
       VALUES ('Aigerim Tleuzhan', $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        email,
        options.language ?? 'en',
        options.timeZone ?? 'Europe/Amsterdam',
        options.webhookUrl ?? null,
        options.webhookUrl ? keyring.encrypt(secret, 'advocate.webhookSecret') : null,
        createHash('sha256').update(token).digest('hex'),
        keyring.encrypt(token, 'advocate.calendarToken'),
      ],
    );
    return { id: row!.id, email, secret };
  }

  async function follow(
    advocateId: string,
    caseId: string,
    options: { leadTimes?: string[]; channels?: string[]; announce?: string[] } = {},
  ): Promise<string> {
    const [row] = await query<Array<{ id: string }>>(
      `INSERT INTO subscriptions (advocate_id, case_id, lead_times, channels, announce, status)
       VALUES ($1, $2, $3, $4, $5, 'active') RETURNING id`,
      [advocateId, caseId, options.leadTimes ?? [], options.channels ?? ['email'], options.announce ?? []],
    );
    return row!.id;
  }

  async function newHearing(caseId: string, startsAt: Date, extra: object = {}) {
    const res = await t.admin
      .post(`/api/v1/cases/${caseId}/hearings`)
      .send({ startsAt: startsAt.toISOString(), timeZone: 'Asia/Almaty', court: 'Almaty City Court', ...extra })
      .expect(201);
    return res.body as { id: string; version: number };
  }

  /** Inserts `count` scheduled reminders due at `dueAt` for one subscription, without jobs. */
  async function insertReminders(
    tag: string,
    sub: { id: string; advocateId: string },
    hearingId: string,
    caseId: string,
    count: number,
    dueAt: Date,
  ) {
    const rows = await query<Array<{ id: string }>>(
      `INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, lead_time, channel, hearing_id, case_id,
                              due_at, status, hearing_starts_at)
       SELECT 'test/' || $1 || '/' || g, $2, $3, 'reminder', 'PT1H', 'email', $4, $5, $6, 'scheduled',
              (SELECT starts_at FROM hearings WHERE id = $4)
         FROM generate_series(1, $7) g
       RETURNING id`,
      [tag, sub.id, sub.advocateId, hearingId, caseId, dueAt, count],
    );
    return rows.map((r) => r.id);
  }

  /** A case followed by one advocate (with no lead times of its own), and a hearing an hour ahead. */
  async function bulkSetup(tag: string) {
    const kase = await newCase(`Bulk ${tag}`);
    const advocate = await newAdvocate();
    const subscription = await follow(advocate.id, kase.id);
    const hearing = await newHearing(kase.id, inSeconds(3600));
    return { kase, advocate, sub: { id: subscription, advocateId: advocate.id }, hearing };
  }

  const statusesOf = async (ids: string[]) =>
    query<Array<{ id: string; status: string; attempts: number }>>(
      'SELECT id, status, attempts FROM reminders WHERE id = ANY($1)',
      [ids],
    );

  const allSent = (ids: string[]) => async () => {
    const rows = await statusesOf(ids);
    return rows.length === ids.length && rows.every((r) => r.status === 'sent');
  };

  it('sends reminders with lead times of seconds at their moment (within 2 s), by email, in each advocate’s language', async () => {
    const kase = await newCase('Timing');
    const english = await newAdvocate({ timeZone: 'Europe/Amsterdam' });
    const russian = await newAdvocate({ language: 'ru', timeZone: 'Asia/Almaty' });
    const subscription = await follow(english.id, kase.id, { leadTimes: ['PT4S', 'PT7S'] });
    await follow(russian.id, kase.id, { leadTimes: ['PT5S'] });
    const hearing = await newHearing(kase.id, inSeconds(10), { courtroom: 'Courtroom 4' });

    const planned = await reminders('hearing_id = $1', [hearing.id]);
    expect(planned.map((r) => [r.kind, r.lead_time, r.status])).toEqual([
      ['reminder', 'PT7S', 'scheduled'],
      ['reminder', 'PT5S', 'scheduled'],
      ['reminder', 'PT4S', 'scheduled'],
    ]);
    await waitFor('three reminders', async () => planned.every((r) => smtp.byMessageId(messageId(r.id)).length > 0));

    for (const reminder of planned) {
      const [mail, ...more] = smtp.byMessageId(messageId(reminder.id));
      expect(more).toEqual([]);
      expect(Math.abs(mail!.receivedAt - reminder.due_at.getTime())).toBeLessThanOrEqual(TIMING_TOLERANCE_MS);
    }
    const [sevenSeconds, , fourSeconds] = planned.map((r) => smtp.byMessageId(messageId(r.id))[0]!);
    expect(fourSeconds.subject).toBe('Hearing in 4 seconds: Timing');
    expect(sevenSeconds.subject).toBe('Hearing in 7 seconds: Timing');
    expect(fourSeconds.to).toContain(english.email);
    expect(fourSeconds.headers['list-unsubscribe']).toMatch(
      /^<https:\/\/tracker\.example\.org\/api\/v1\/public\/unsubscribe\?token=/,
    );
    expect(fourSeconds.headers['list-unsubscribe']).toContain(subscription);
    expect(fourSeconds.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(fourSeconds.text).toContain('Courtroom: Courtroom 4');
    expect(fourSeconds.text).toContain('Defendants: Zhanbolat Mamay Timing');
    expect(fourSeconds.text).toContain(`Case file: https://tracker.example.org/api/v1/cases/${kase.id}`);
    expect(fourSeconds.text).toMatch(/Your time: .* \(UTC\+0[12]:00, Europe\/Amsterdam\)/);
    const russianMail = smtp.byMessageId(messageId(planned[1]!.id))[0]!;
    expect(russianMail.subject).toBe('Заседание через 5 секунд: Timing');
    expect(russianMail.text).toContain('Время суда:');

    // A message is recorded `sent` just after the SMTP server took it.
    await waitFor('all recorded sent', allSent(planned.map((r) => r.id)));
    const stored = await reminders('hearing_id = $1', [hearing.id]);
    expect(stored.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ['sent', 1, null],
      ['sent', 1, null],
      ['sent', 1, null],
    ]);
    expect(stored.every((r) => r.sent_at !== null)).toBe(true);
  });

  it('sends the reminder of a moved hearing at the new time and not the old, and announces the move', async () => {
    const kase = await newCase('Moved');
    const advocate = await newAdvocate();
    await follow(advocate.id, kase.id, { leadTimes: ['PT3S'], announce: ['hearing-changed'] });
    const hearing = await newHearing(kase.id, inSeconds(8));
    const [old] = await reminders('hearing_id = $1', [hearing.id]);
    await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${hearing.version}"`)
      .send({ startsAt: inSeconds(11).toISOString() })
      .expect(200);

    const all = await reminders('hearing_id = $1', [hearing.id]);
    const moved = all.find((r) => r.kind === 'reminder' && r.status === 'scheduled')!;
    const notice = all.find((r) => r.kind === 'notice')!;
    expect(all.find((r) => r.id === old!.id)!.status).toBe('cancelled');
    expect(moved.due_at.getTime() - old!.due_at.getTime()).toBeGreaterThan(2000);

    await waitFor('the moved reminder', async () => smtp.byMessageId(messageId(moved.id)).length > 0);
    const mail = smtp.byMessageId(messageId(moved.id))[0]!;
    expect(Math.abs(mail.receivedAt - moved.due_at.getTime())).toBeLessThanOrEqual(TIMING_TOLERANCE_MS);
    // By now the old time has passed long ago: it sent nothing.
    expect(Date.now()).toBeGreaterThan(old!.due_at.getTime() + 1000);
    expect(smtp.byMessageId(messageId(old!.id))).toEqual([]);
    expect((await reminders('id = $1', [old!.id]))[0]!.status).toBe('cancelled');
    const announced = smtp.byMessageId(messageId(notice.id));
    expect(announced.map((m) => m.subject)).toEqual(['Hearing moved: Moved']);
  });

  it('re-checks at send time what changed since planning: a moved hearing, one called off, a followed person hidden', async () => {
    const kase = await newCase('Send-time checks');
    const advocate = await newAdvocate();
    // Nothing planned by itself (no lead times, no announcements): the rows below are made by hand.
    const sub = await follow(advocate.id, kase.id);
    const [person] = await query<Array<{ person_id: string }>>(
      `SELECT person_id FROM case_participants WHERE case_id = $1`,
      [kase.id],
    );
    const [personSub] = await query<Array<{ id: string }>>(
      `INSERT INTO subscriptions (advocate_id, person_id, lead_times, channels, announce, status)
       VALUES ($1, $2, '{}', '{email}', '{}', 'active') RETURNING id`,
      [advocate.id, person!.person_id],
    );
    const hearing = await newHearing(kase.id, inSeconds(3 * 24 * 3600));
    const calledOff = await newHearing(kase.id, inSeconds(4 * 24 * 3600));
    const [{ starts_at: startsAt }] = (await query(`SELECT starts_at FROM hearings WHERE id = $1`, [hearing.id])) as [
      { starts_at: Date },
    ];
    // Called off without the planner (as if the change raced the send).
    await query(`UPDATE hearings SET status = 'cancelled' WHERE id = $1`, [calledOff.id]);
    // Due in a minute: the reconciler's jobs for them come after they are closed.
    const dueAt = inSeconds(60);
    const row = async (fields: {
      subscriptionId?: string;
      kind: string;
      notice?: string;
      hearingId: string;
      plannedFor?: Date;
    }) => {
      const [made] = await query<Array<{ id: string }>>(
        `INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, notice, lead_time, channel, hearing_id,
                                case_id, due_at, status, hearing_starts_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'email', $7, $8, $9, 'scheduled', $10) RETURNING id`,
        [
          `test/send-time/${randomBytes(6).toString('hex')}`,
          fields.subscriptionId ?? sub,
          advocate.id,
          fields.kind,
          fields.notice ?? null,
          fields.kind === 'reminder' ? 'P1D' : null,
          fields.hearingId,
          kase.id,
          dueAt,
          fields.plannedFor ?? null,
        ],
      );
      return made!.id;
    };
    const deliver = async (reminderId: string) => {
      const outcome = await worker!
        .get(DeliveryService)
        .deliver({ reminderId, dueAt: dueAt.toISOString(), lastAttempt: false, resumed: false });
      const [stored] = await reminders('id = $1', [reminderId]);
      return [outcome, stored!.last_error];
    };

    expect(await deliver(await row({ kind: 'reminder', hearingId: hearing.id, plannedFor: startsAt }))).toEqual([
      'sent',
      null,
    ]);
    const earlier = new Date(startsAt.getTime() - 24 * 3600 * 1000);
    expect(await deliver(await row({ kind: 'reminder', hearingId: hearing.id, plannedFor: earlier }))).toEqual([
      'cancelled',
      'hearing moved',
    ]);
    expect(await deliver(await row({ kind: 'notice', notice: 'hearing-scheduled', hearingId: calledOff.id }))).toEqual([
      'cancelled',
      'hearing no longer scheduled',
    ]);
    expect(await deliver(await row({ kind: 'notice', notice: 'hearing-changed', hearingId: calledOff.id }))).toEqual([
      'cancelled',
      'hearing no longer scheduled',
    ]);
    expect(await deliver(await row({ kind: 'notice', notice: 'hearing-cancelled', hearingId: calledOff.id }))).toEqual([
      'sent',
      null,
    ]);
    // A followed person archived or restricted since: nothing more through that subscription.
    const viaPerson = { subscriptionId: personSub!.id, kind: 'reminder', hearingId: hearing.id, plannedFor: startsAt };
    expect(await deliver(await row(viaPerson))).toEqual(['sent', null]);
    await query(`UPDATE persons SET visibility = 'restricted' WHERE id = $1`, [person!.person_id]);
    expect(await deliver(await row(viaPerson))).toEqual(['cancelled', 'followed record not visible']);
  });

  it('sends an advocate who follows a case and its defendant each message once', async () => {
    const kase = await newCase('Followed twice');
    const advocate = await newAdvocate();
    const options = { leadTimes: ['PT3S'], announce: ['hearing-scheduled'] };
    await follow(advocate.id, kase.id, options);
    const [defendant] = await query<Array<{ person_id: string }>>(
      `SELECT person_id FROM case_participants WHERE case_id = $1`,
      [kase.id],
    );
    await query(
      `INSERT INTO subscriptions (advocate_id, person_id, lead_times, channels, announce, status)
       VALUES ($1, $2, '{PT3S}', '{email}', '{hearing-scheduled}', 'active')`,
      [advocate.id, defendant!.person_id],
    );
    const hearing = await newHearing(kase.id, inSeconds(6));
    const planned = await reminders('hearing_id = $1', [hearing.id]);
    // Each subscription plans its own (a reminder and a notice), and each message goes out once.
    expect(planned.map((r) => r.kind).sort()).toEqual(['notice', 'notice', 'reminder', 'reminder']);
    await waitFor('every one closed', async () =>
      (await statusesOf(planned.map((r) => r.id))).every((r) => r.status === 'sent' || r.status === 'skipped'),
    );
    const received = () => smtp.messages.filter((m) => m.to.includes(advocate.email)).map((m) => m.subject);
    await sleep(500);
    expect(received().sort()).toEqual(['Hearing in 3 seconds: Followed twice', 'Hearing scheduled: Followed twice']);
    const closed = await reminders('hearing_id = $1', [hearing.id]);
    for (const kind of ['notice', 'reminder']) {
      expect(
        closed
          .filter((r) => r.kind === kind)
          .map((r) => r.status)
          .sort(),
      ).toEqual(['sent', 'skipped']);
    }
    expect(closed.find((r) => r.status === 'skipped')!.last_error).toBe(
      'the same message is sent through another subscription',
    );
  });

  it('announces a custody change and a verdict to those who follow the case, and not to others', async () => {
    const kase = (await newCase('Announced')) as {
      id: string;
      version: number;
      participants: Array<{ personId: string }>;
    };
    const personId = kase.participants[0]!.personId;
    const following = await newAdvocate();
    await follow(following.id, kase.id, { announce: ['custody-changed', 'verdict'] });
    const notAsking = await newAdvocate();
    await follow(notAsking.id, kase.id, { announce: ['hearing-scheduled'] });

    const event = await t.admin
      .post(`/api/v1/persons/${personId}/custody-events`)
      .send({ status: 'house-arrest', from: { date: '2022-11', precision: 'approximate' }, place: 'Almaty' })
      .expect(201);
    await t.admin
      .patch(`/api/v1/cases/${kase.id}`)
      .set('If-Match', `"${kase.version}"`)
      .send({ stage: 'verdict', outcome: { verdict: 'convicted', date: { date: '2023-04', precision: 'month' } } })
      .expect(200);

    const notices = await reminders(
      "kind = 'notice' AND (custody_event_id = $1 OR (case_id = $2 AND notice = 'verdict'))",
      [(event.body as { id: string }).id, kase.id],
    );
    expect(notices.map((n) => [n.notice, n.advocate_id]).sort()).toEqual(
      [
        ['custody-changed', following.id],
        ['verdict', following.id],
      ].sort(),
    );
    await waitFor('both notices', allSent(notices.map((n) => n.id)));
    const [custody, verdict] = ['custody-changed', 'verdict'].map(
      (kind) => smtp.byMessageId(messageId(notices.find((n) => n.notice === kind)!.id))[0]!,
    );
    expect(custody.subject).toMatch(/^Custody update: Zhanbolat Mamay/);
    expect(custody.text).toContain('house arrest');
    expect(verdict.subject).toBe('Verdict: Announced');
    expect(verdict.to).toContain(following.email);
  });

  it('sends no reminder for a cancelled hearing, only the cancellation ("postponed" when it was postponed)', async () => {
    const kase = await newCase('Cancelled');
    const announcing = await newAdvocate();
    const quiet = await newAdvocate();
    await follow(announcing.id, kase.id, { leadTimes: ['PT3S'], announce: ['hearing-cancelled'] });
    await follow(quiet.id, kase.id, { leadTimes: ['PT3S'] });
    const cancelled = await newHearing(kase.id, inSeconds(6));
    const postponed = await newHearing(kase.id, inSeconds(6));
    const later = await newHearing(kase.id, inSeconds(3600));
    await t.admin
      .patch(`/api/v1/hearings/${cancelled.id}`)
      .set('If-Match', `"${cancelled.version}"`)
      .send({ status: 'cancelled' })
      .expect(200);
    await t.admin
      .patch(`/api/v1/hearings/${postponed.id}`)
      .set('If-Match', `"${postponed.version}"`)
      .send({ status: 'postponed', postponedToId: later.id })
      .expect(200);

    const rows = await reminders('hearing_id = ANY($1)', [[cancelled.id, postponed.id]]);
    const remindersOnly = rows.filter((r) => r.kind === 'reminder');
    expect(remindersOnly).toHaveLength(4);
    expect(remindersOnly.every((r) => r.status === 'cancelled')).toBe(true);
    const notices = rows.filter((r) => r.kind === 'notice');
    expect(notices).toHaveLength(2);
    await waitFor('both notices', async () => notices.every((n) => smtp.byMessageId(messageId(n.id)).length === 1));
    const subjects = notices.map((n) => smtp.byMessageId(messageId(n.id))[0]!.subject).sort();
    expect(subjects).toEqual(['Hearing cancelled: Cancelled', 'Hearing postponed: Cancelled']);
    const postponedMail = notices
      .map((n) => smtp.byMessageId(messageId(n.id))[0]!)
      .find((m) => m.subject.startsWith('Hearing postponed'))!;
    expect(postponedMail.text).toContain('New date (court time):');

    // Well past the reminders' old time, nothing else was sent about these hearings.
    await sleep(Math.max(0, remindersOnly[0]!.due_at.getTime() + 1500 - Date.now()));
    for (const r of remindersOnly) expect(smtp.byMessageId(messageId(r.id))).toEqual([]);
    expect((await statusesOf(remindersOnly.map((r) => r.id))).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('calls webhooks with a signature that verifies, an Idempotency-Key, and retries a non-2xx answer', async () => {
    const kase = await newCase('Webhook');
    const advocate = await newAdvocate({ webhookUrl: `${hooks.url}/hooks/case-tracker` });
    await follow(advocate.id, kase.id, { leadTimes: ['PT3S'], channels: ['webhook'] });
    hooks.answers.push(500);
    const hearing = await newHearing(kase.id, inSeconds(6));
    const [reminder] = await reminders('hearing_id = $1', [hearing.id]);
    expect(reminder!.channel).toBe('webhook');

    await waitFor('a delivered webhook', async () => (await statusesOf([reminder!.id]))[0]!.status === 'sent');
    const calls = hooks.calls.filter((c) => c.headers['idempotency-key'] === reminder!.id);
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(Math.abs(first!.receivedAt - reminder!.due_at.getTime())).toBeLessThanOrEqual(TIMING_TOLERANCE_MS);
    expect(second!.body).toBe(first!.body);
    for (const call of calls) {
      expect(call.path).toBe('/hooks/case-tracker');
      expect(call.headers['content-type']).toMatch(/^application\/json/);
      const timestamp = call.headers['x-casetracker-timestamp'] as string;
      expect(Math.abs(Number(timestamp) - call.receivedAt / 1000)).toBeLessThan(5);
      expect(call.headers['x-casetracker-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      const received = { timestamp, signature: call.headers['x-casetracker-signature'] as string, body: call.body };
      expect(verifyWebhookSignature(advocate.secret, received)).toBe(true);
      expect(verifyWebhookSignature('ctw_someone-else', received)).toBe(false);
      expect(verifyWebhookSignature(advocate.secret, { ...received, body: call.body.replace('Webhook', 'W') })).toBe(
        false,
      );
    }
    const payload = JSON.parse(second!.body) as Record<string, unknown>;
    expect(payload).toMatchObject({
      id: reminder!.id,
      type: 'reminder',
      event: 'reminder',
      leadTime: 'PT3S',
      subject: 'Hearing in 3 seconds: Webhook',
      hearing: { id: hearing.id, timeZone: 'Asia/Almaty', recipientTimeZone: 'Europe/Amsterdam' },
      case: { id: kase.id, title: 'Webhook' },
    });
    const [stored] = await reminders('id = $1', [reminder!.id]);
    expect(stored).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('emails a public follower the double opt-in link, which starts their alerts (public material only)', async () => {
    const kase = await createCase(t, { title: 'Public follow', stage: 'trial', visibility: 'public' });
    const email = `follower-${randomBytes(4).toString('hex')}@example.org`;
    await request(t.http)
      .post(`/api/v1/public/cases/${kase.id}/follow`)
      .send({ email, language: 'ru', timeZone: 'Europe/Amsterdam' })
      .expect(202);
    const [confirmation] = await query<ReminderRow[]>(
      `SELECT r.* FROM reminders r JOIN advocates a ON a.id = r.advocate_id WHERE a.email = $1`,
      [email],
    );
    expect(confirmation).toMatchObject({ kind: 'confirmation', channel: 'email' });
    await waitFor('the confirmation', async () => smtp.byMessageId(messageId(confirmation!.id)).length > 0);
    const [mail] = smtp.byMessageId(messageId(confirmation!.id));
    expect(mail!.to).toContain(email);
    expect(mail!.subject).toBe('Подтвердите подписку на уведомления: дело «Public follow»');
    // Its one-click unsubscribe ends the request (for someone who did not ask).
    expect(mail!.headers['list-unsubscribe']).toMatch(
      /^<https:\/\/tracker\.example\.org\/api\/v1\/public\/unsubscribe\?token=\S+>$/,
    );
    expect(mail!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = /https:\/\/tracker\.example\.org(\/api\/v1\/public\/subscriptions\/confirm\?token=\S+)/.exec(
      mail!.text,
    );
    expect(link).not.toBeNull();
    // The link opens a page whose button confirms.
    expect((await request(t.http).get(link![1]!).expect(200)).text).toContain('<form method="post"');
    const confirmed = await request(t.http).post(link![1]!).expect(200);
    expect(confirmed.text).toContain(`<a href="../cases/${kase.id}">`);

    // Confirmed: a public hearing is announced to them; an internal one is not.
    const internal = await newHearing(kase.id, inSeconds(7200));
    const hearing = await newHearing(kase.id, inSeconds(3600), { visibility: 'public' });
    const notices = await query<ReminderRow[]>(
      `SELECT r.* FROM reminders r JOIN advocates a ON a.id = r.advocate_id WHERE a.email = $1 AND r.kind = 'notice'`,
      [email],
    );
    expect(notices).toHaveLength(1);
    await waitFor('the notice', async () => smtp.byMessageId(messageId(notices[0]!.id)).length > 0);
    const notice = smtp.byMessageId(messageId(notices[0]!.id))[0]!;
    expect(notice.subject).toBe('Назначено заседание: Public follow');
    expect(notice.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(notices[0]!).toMatchObject({ notice: 'hearing-scheduled', hearing_id: hearing.id });
    expect(await reminders('hearing_id = $1', [internal.id])).toEqual([]);
    // Its link opens the case's public page, without a login (not the staff API).
    const casePage = `https://tracker.example.org/api/v1/public/cases/${kase.id}`;
    expect(notice.text).toContain(casePage);
    expect(notice.text).not.toContain(`/api/v1/cases/${kase.id}`);
    const shown = await request(t.http).get(new URL(casePage).pathname).expect(200);
    expect(shown.text).toContain('Public follow');
  });

  it('recovers from an SMTP server that is down by retrying with backoff', async () => {
    const kase = await newCase('SMTP down');
    const advocate = await newAdvocate();
    await follow(advocate.id, kase.id, { announce: ['hearing-scheduled'] });
    await smtp.stop();
    try {
      const hearing = await newHearing(kase.id, inSeconds(3600));
      const [notice] = await reminders('hearing_id = $1', [hearing.id]);
      expect(notice).toMatchObject({ kind: 'notice', notice: 'hearing-scheduled' });
      const failing = await waitFor('two failed attempts', async () => {
        const [row] = await reminders('id = $1', [notice!.id]);
        return row!.attempts >= 2 && row!.status === 'scheduled' ? row : null;
      });
      expect(failing.last_error).toMatch(/^email: /);
      expect(failing.last_error).not.toContain(advocate.email);
      await smtp.start();
      await waitFor('the notice', async () => (await statusesOf([notice!.id]))[0]!.status === 'sent');
      const [sent] = await reminders('id = $1', [notice!.id]);
      expect(sent!.attempts).toBeGreaterThanOrEqual(2);
      expect(sent!.attempts).toBeLessThanOrEqual(DELIVERY_ATTEMPTS);
      expect(sent!.last_error).toBeNull();
      expect(smtp.byMessageId(messageId(notice!.id)).map((m) => m.subject)).toEqual(['Hearing scheduled: SMTP down']);
    } finally {
      await smtp.start().catch(() => undefined);
    }
  });

  it('marks a reminder failed after the last attempt, lists it, and sends it again on retry', async () => {
    const kase = await newCase('Failing');
    const advocate = await newAdvocate();
    await follow(advocate.id, kase.id, { announce: ['hearing-scheduled'] });
    await smtp.stop();
    let noticeId: string;
    try {
      const hearing = await newHearing(kase.id, inSeconds(3600));
      const [notice] = await reminders('hearing_id = $1', [hearing.id]);
      noticeId = notice!.id;
      const failed = await waitFor(
        'the last attempt',
        async () => {
          const [row] = await reminders('id = $1', [noticeId]);
          return row!.status === 'failed' ? row : null;
        },
        20_000,
      );
      expect(failed.attempts).toBe(DELIVERY_ATTEMPTS);
      expect(failed.last_error).toMatch(/^email: /);

      const listed = await t.viewer.get('/api/v1/reminders').query({ status: 'failed' }).expect(200);
      const item = (listed.body.items as Array<Record<string, unknown>>).find((i) => i.id === noticeId);
      expect(item).toMatchObject({
        kind: 'notice',
        notice: 'hearing-scheduled',
        status: 'failed',
        attempts: DELIVERY_ATTEMPTS,
        channel: 'email',
        advocateId: advocate.id,
        hearingId: hearing.id,
        caseId: kase.id,
        sentAt: null,
      });
      expect(item!.lastError).toMatch(/^email: /);
      const byHearing = await t.viewer.get('/api/v1/reminders').query({ hearingId: hearing.id }).expect(200);
      expect(byHearing.body).toEqual({ items: [item], nextCursor: null });
      const byAdvocate = await t.viewer.get('/api/v1/reminders').query({ advocateId: advocate.id }).expect(200);
      expect(byAdvocate.body.items).toEqual([item]);
      const sentOnes = await t.viewer.get('/api/v1/reminders').query({ status: 'sent', hearingId: hearing.id });
      expect(sentOnes.body.items).toEqual([]);
      await t.viewer.get('/api/v1/reminders').query({ status: 'lost' }).expect(400);
      await t.viewer.post(`/api/v1/reminders/${noticeId}/retry`).expect(403);
    } finally {
      await smtp.start();
    }
    const retried = await t.editor
      .post(`/api/v1/reminders/${noticeId}/retry`)
      .set('X-Change-Reason', 'SMTP relay fixed')
      .expect(200);
    expect(retried.body).toMatchObject({ id: noticeId, status: 'scheduled', attempts: 0, lastError: null });
    await waitFor('the retried notice', async () => (await statusesOf([noticeId]))[0]!.status === 'sent');
    expect(smtp.byMessageId(messageId(noticeId))).toHaveLength(1);
    const [audit] = await query<Array<{ action: string; reason: string; changes: Record<string, unknown> }>>(
      `SELECT action, reason, changes FROM audit_log WHERE entity_type = 'reminder' AND entity_id = $1`,
      [noticeId],
    );
    expect(audit).toMatchObject({
      action: 'update',
      reason: 'SMTP relay fixed',
      changes: { status: { before: 'failed', after: 'scheduled' }, attempts: { before: DELIVERY_ATTEMPTS, after: 0 } },
    });
    const again = await t.editor.post(`/api/v1/reminders/${noticeId}/retry`).expect(409);
    expect(again.body.type).toBe('urn:case-tracker:problem:conflict');
    await t.editor.post('/api/v1/reminders/00000000-0000-4000-8000-000000000000/retry').expect(404);
  });

  it('pages the reminders list with a cursor and hides reminders about restricted hearings from readers without clearance', async () => {
    const { sub, hearing, kase } = await bulkSetup('paging');
    const ids = await insertReminders('paging', sub, hearing.id, kase.id, 5, inSeconds(3000));
    await query(`UPDATE reminders SET status = 'failed' WHERE id = ANY($1)`, [ids]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.viewer
        .get('/api/v1/reminders')
        .query({ hearingId: hearing.id, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...(res.body.items as Array<{ id: string }>).map((i) => i.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());

    const restricted = await newHearing(kase.id, inSeconds(3600), { visibility: 'restricted' });
    const hidden = await insertReminders('restricted', sub, restricted.id, kase.id, 1, inSeconds(3000));
    await query(`UPDATE reminders SET status = 'failed' WHERE id = ANY($1)`, [hidden]);
    const asViewer = await t.viewer.get('/api/v1/reminders').query({ hearingId: restricted.id }).expect(200);
    expect(asViewer.body.items).toEqual([]);
    await t.editor.post(`/api/v1/reminders/${hidden[0]}/retry`).expect(404);
    const asAdmin = await t.admin.get('/api/v1/reminders').query({ hearingId: restricted.id }).expect(200);
    expect(asAdmin.body.items.map((i: { id: string }) => i.id)).toEqual(hidden);
    await query(`UPDATE reminders SET status = 'cancelled' WHERE id = ANY($1)`, [[...ids, ...hidden]]);
  });

  it('rebuilds every job from PostgreSQL after Redis lost its data, and loses no reminder', async () => {
    const { sub, hearing, kase } = await bulkSetup('flush');
    // Due late enough that rebuilding the jobs (an interval or two) is over before, even on a slow machine.
    const dueAt = inSeconds(10);
    const ids = await insertReminders('flush', sub, hearing.id, kase.id, 30, dueAt);
    const deliveries = t.app.get(DeliveryQueue);
    const queue = t.app.get<Queue<DeliveryJob>>(getQueueToken(DELIVERY_QUEUE));
    const hasJob = async (id: string) => (await queue.getJob(deliveryJobId(id, dueAt))) !== undefined;
    await deliveries.enqueue(ids);
    for (const id of ids) expect(await hasJob(id)).toBe(true);

    // FLUSHALL, for this file's keys only: every job, the reconciler's schedule, everything.
    expect(await deleteRedisKeys()).toBeGreaterThan(0);
    for (const id of ids) expect(await hasJob(id)).toBe(false);

    // The worker notices that its schedule is gone within an interval (2 s here) and reconciles.
    await waitFor('jobs rebuilt', async () => {
      for (const id of ids) if (!(await hasJob(id))) return false;
      return true;
    });
    expect(Date.now()).toBeLessThan(dueAt.getTime());
    await waitFor('all 30 reminders', allSent(ids));
    for (const id of ids) {
      const mails = smtp.byMessageId(messageId(id));
      expect(mails).toHaveLength(1);
      expect(Math.abs(mails[0]!.receivedAt - dueAt.getTime())).toBeLessThanOrEqual(TIMING_TOLERANCE_MS);
    }
  });

  it('skips reminders overdue beyond the grace window, re-enqueues those within it, and re-sends stale claims', async () => {
    const { sub, hearing, kase } = await bulkSetup('reconcile');
    const [tooLate] = await insertReminders('late', sub, hearing.id, kase.id, 1, new Date(Date.now() - 61 * 60_000));
    const [late] = await insertReminders('within', sub, hearing.id, kase.id, 1, new Date(Date.now() - 5 * 60_000));
    const [stale] = await insertReminders('stale', sub, hearing.id, kase.id, 1, new Date(Date.now() - 10 * 60_000));
    // A worker died mid-send three minutes ago; its claim is stale.
    await query(
      `UPDATE reminders SET status = 'sending', attempts = 1, claimed_at = now() - interval '3 minutes' WHERE id = $1`,
      [stale],
    );
    // The worker reconciles every 2 s anyway; a run of our own may find it busy (and do nothing).
    await worker!.get(Reconciler).run();
    await waitFor('late and stale reminders', allSent([late!, stale!]));
    const rows = await reminders('id = ANY($1)', [[tooLate, late, stale]]);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [tooLate, 'skipped'],
      [stale, 'sent'],
      [late, 'sent'],
    ]);
    expect(rows[0]!.last_error).toMatch(/grace period/);
    expect(smtp.byMessageId(messageId(tooLate!))).toEqual([]);
    expect(rows[1]!.attempts).toBe(2);
  });

  it('never sends twice with two workers, even when both are handed the same job', async () => {
    const second = await startWorker();
    try {
      const { sub, hearing, kase } = await bulkSetup('two workers');
      const ids = await insertReminders('two', sub, hearing.id, kase.id, 100, inSeconds(2));
      await t.app.get(DeliveryQueue).enqueue(ids);
      await waitFor('100 reminders', allSent(ids));
      for (const id of ids) expect(smtp.byMessageId(messageId(id))).toHaveLength(1);
      expect((await statusesOf(ids)).every((r) => r.attempts === 1)).toBe(true);

      // The same attempt delivered by both workers at once: one claims it, the other finds nothing.
      // (Due in a minute, so that the reconciler's own jobs for them wait until they are long sent.)
      const racing = await insertReminders('race', sub, hearing.id, kase.id, 10, inSeconds(60));
      const [due] = await reminders('id = $1', [racing[0]]);
      const outcomes = await Promise.all(
        racing.flatMap((reminderId) =>
          [worker!, second].map((w) =>
            w
              .get(DeliveryService)
              .deliver({ reminderId, dueAt: due!.due_at.toISOString(), lastAttempt: false, resumed: false }),
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(10);
      expect(outcomes.filter((o) => o === 'not-claimed')).toHaveLength(10);
      for (const id of racing) expect(smtp.byMessageId(messageId(id))).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('claims the jobs in hand together, and a reminder locked by another transaction alone once it is free', async () => {
    const { sub, hearing, kase } = await bulkSetup('locked');
    const ids = await insertReminders('locked', sub, hearing.id, kase.id, 5, inSeconds(60));
    const [due] = await reminders('id = $1', [ids[0]]);
    // Another transaction (the API moving a hearing, say) holds the first reminder's row.
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await other.query('SELECT id FROM reminders WHERE id = $1 FOR UPDATE', [ids[0]]);
      const deliveries = worker!.get(DeliveryService);
      const outcomes = ids.map((reminderId) =>
        deliveries.deliver({ reminderId, dueAt: due!.due_at.toISOString(), lastAttempt: false, resumed: false }),
      );
      // The batch skips the locked row instead of waiting for it: the other four go out meanwhile.
      await waitFor('the unlocked reminders', allSent(ids.slice(1)));
      expect((await statusesOf([ids[0]!]))[0]!.status).toBe('scheduled');
      await other.commitTransaction();
      expect(await Promise.all(outcomes)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      for (const id of ids) expect(smtp.byMessageId(messageId(id))).toHaveLength(1);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });

  it('finishes the deliveries in progress when the worker shuts down, then closes its connections', async () => {
    const { sub, hearing, kase } = await bulkSetup('shutdown');
    smtp.holdAfter = smtp.messages.length;
    try {
      const ids = await insertReminders('shutdown', sub, hearing.id, kase.id, 3, new Date());
      await t.app.get(DeliveryQueue).enqueue(ids);
      await waitFor('messages in flight', async () => smtp.held >= 3);
      let closed = false;
      const closing = worker!.close().then(() => (closed = true));
      worker = null;
      await sleep(500);
      expect(closed).toBe(false);
      expect((await statusesOf(ids)).map((r) => r.status)).toEqual(['sending', 'sending', 'sending']);
      smtp.release(true);
      await closing;
      expect((await statusesOf(ids)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      for (const id of ids) expect(smtp.byMessageId(messageId(id))).toHaveLength(1);
    } finally {
      smtp.release();
    }
  });

  describe('a worker process killed with SIGKILL in the middle of a batch', () => {
    const workerMain = 'dist/apps/worker/src/main.js';
    const children: ChildProcess[] = [];
    let output = '';

    beforeAll(async () => {
      // The crash test runs the built worker; build it (incrementally, with the report label
      // catalogs it loads) from the current sources.
      await promisify(execFile)('npm', ['run', 'build']).catch((error: { stdout?: string }) => {
        // Type errors elsewhere still emit JavaScript; only a missing entry point is fatal.
        if (!existsSync(workerMain)) throw new Error(`build failed: ${error.stdout ?? ''}`);
      });
      // The in-process worker must not take part (the test before stopped it).
      await worker?.close();
      worker = null;
    }, 60_000);

    afterAll(() => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    });

    function spawnWorker(): ChildProcess {
      const child = spawn(process.execPath, [workerMain], {
        env: { ...process.env, WORKER_HEALTH_PORT: '0', WORKER_CONCURRENCY: '5', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      children.push(child);
      return child;
    }

    it('delivers each of 200 reminders once after a restart: no Message-ID missing, none twice', async () => {
      const { sub, hearing, kase } = await bulkSetup('crash');
      const ids = await insertReminders('crash', sub, hearing.id, kase.id, 200, inSeconds(1));
      const before = smtp.messages.length;
      // The SMTP server stops answering after the 60th message: the worker then has messages in
      // flight (claimed, not yet accepted) when it is killed, and none accepted but unrecorded.
      smtp.holdAfter = before + 60;
      const first = spawnWorker();
      try {
        await waitFor('messages in flight', async () => smtp.held >= 3, 30_000);
        await sleep(500);
        const inFlight = (await statusesOf(ids)).filter((r) => r.status === 'sending').map((r) => r.id);
        expect(inFlight.length).toBeGreaterThan(0);
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('exit', resolve));
        smtp.release();

        const restarted = spawnWorker();
        await waitFor('all 200 reminders', allSent(ids), 45_000);
        // A graceful stop: Nest closes the application, then ends the process with the signal.
        restarted.kill('SIGTERM');
        // 'close', not 'exit': the process may exit before its last output has been read.
        const signal = await new Promise((resolve) => restarted.once('close', (_code, sig) => resolve(sig)));
        expect(signal).toBe('SIGTERM');
        expect(output).toContain('worker stopped (SIGTERM)');

        const received = smtp.messages.slice(before).map((m) => m.messageId);
        const expected = ids.map(messageId);
        const counts = new Map<string, number>();
        for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
        expect(expected.filter((id) => !counts.has(id))).toEqual([]);
        expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
        expect([...counts.keys()].filter((id) => !expected.includes(id))).toEqual([]);
        expect(received).toHaveLength(200);
        // Those the dead worker had claimed were taken over by the restarted one.
        const attempts = await statusesOf(inFlight);
        expect(attempts.every((r) => r.attempts === 2)).toBe(true);
      } catch (error) {
        console.error(`worker output:\n${output.slice(-5000)}`);
        throw error;
      } finally {
        smtp.release();
      }
    }, 90_000);

    it('delivers each of 200 reminders once with two worker processes running at once', async () => {
      const { sub, hearing, kase } = await bulkSetup('two processes');
      const ids = await insertReminders('processes', sub, hearing.id, kase.id, 200, inSeconds(2));
      const before = smtp.messages.length;
      await t.app.get(DeliveryQueue).enqueue(ids);
      const workers = [spawnWorker(), spawnWorker()];
      try {
        await waitFor('all 200 reminders', allSent(ids), 45_000);
        const received = smtp.messages.slice(before).map((m) => m.messageId);
        expect([...received].sort()).toEqual(ids.map(messageId).sort());
        expect((await statusesOf(ids)).every((r) => r.attempts === 1)).toBe(true);
      } catch (error) {
        console.error(`worker output:\n${output.slice(-5000)}`);
        throw error;
      } finally {
        await Promise.all(
          workers.map((child) => {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            return exited;
          }),
        );
      }
    }, 90_000);

    it('refuses to start with a bad DATA_ENCRYPTION_KEY, in one line', async () => {
      const child = spawn(process.execPath, [workerMain], {
        env: { ...process.env, WORKER_HEALTH_PORT: '0', DATA_ENCRYPTION_KEY: 'k1:dG9vLXNob3J0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((resolve) => child.once('close', resolve));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        'DATA_ENCRYPTION_KEY key "k1" must be 32 bytes, base64-encoded (openssl rand -base64 32)',
      ]);
    });
  });
});
