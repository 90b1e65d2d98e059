import { PRIVATE_ADDRESS_ERROR } from '#alerts';
import { Keyring } from '#encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppWithWorker, startAppWithWorker } from './support/app-with-worker.js';
import { startWebhookReceiver, type WebhookCapture } from './support/delivery-servers.js';
import { createCase, createPerson, personBody } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueEmail = () => `advocate-${randomBytes(4).toString('hex')}@example.org`;
const NOT_ALLOWED = 'must not point at a loopback, private or link-local network address';

/**
 * Webhooks with WEBHOOK_ALLOW_PRIVATE_ADDRESSES=false (the default; the other test files allow
 * private addresses, their receivers listening on 127.0.0.1): the API refuses a webhook URL on a
 * private network, and the worker refuses to call one, at once and the same way for every port.
 */
describe('webhooks to private addresses (WEBHOOK_ALLOW_PRIVATE_ADDRESSES=false)', () => {
  let aw: AppWithWorker;
  let t: TestApp;
  let hooks: WebhookCapture;

  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    aw = await startAppWithWorker('webhook-addresses', {
      env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false', DELIVERY_ATTEMPTS: '4', DELIVERY_BACKOFF_MS: '100' },
    });
    t = aw.t;
  }, 60_000);

  afterAll(async () => {
    await aw?.close();
    await hooks?.close();
  }, 60_000);

  const privateUrls = [
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:1234/',
    'http://127.0.0.1:6379/',
    'http://10.0.0.5/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'https://192.168.1.1:8443/hook',
    'http://2130706433/',
    'https://hooks.localhost/x',
  ];

  it('answers 400 on webhookUrl for a private address or localhost, on create and on update', async () => {
    for (const webhookUrl of privateUrls) {
      const email = uniqueEmail();
      const res = await t.editor
        .post('/api/v1/advocates')
        .send({ name: 'Aigerim Tleuzhan', email, timeZone: 'Asia/Almaty', webhookUrl });
      expect([webhookUrl, res.status]).toEqual([webhookUrl, 400]);
      expect(res.body.errors).toEqual([{ field: 'webhookUrl', message: NOT_ALLOWED }]);
      expect(JSON.stringify(res.body)).not.toContain(webhookUrl);
      const listed = await t.editor.get(`/api/v1/advocates?email=${encodeURIComponent(email)}`).expect(200);
      expect(listed.body.items).toEqual([]);
    }

    // A name is accepted (it is checked when the webhook is sent), and a public address.
    const created = await t.editor
      .post('/api/v1/advocates')
      .send({
        name: 'Aigerim Tleuzhan',
        email: uniqueEmail(),
        timeZone: 'UTC',
        webhookUrl: 'https://hooks.example.org/a',
      })
      .expect(201);
    for (const webhookUrl of privateUrls.slice(0, 2)) {
      const res = await t.editor
        .patch(`/api/v1/advocates/${created.body.id}`)
        .set('If-Match', '"1"')
        .send({ webhookUrl });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'webhookUrl', message: NOT_ALLOWED }]);
    }
    const patched = await t.editor
      .patch(`/api/v1/advocates/${created.body.id}`)
      .set('If-Match', '"1"')
      .send({ webhookUrl: 'http://8.8.8.8/hook' })
      .expect(200);
    expect(patched.body).toMatchObject({ webhookUrl: 'http://8.8.8.8/hook', version: 2 });
  });

  it('fails a webhook to a private address at once, without calling it, with the same error for every port', async () => {
    // A port with nothing listening, next to the receiver's open one.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const person = await createPerson(t, personBody(' Webhook addresses'));
    const kase = await createCase(t, {
      title: 'Webhook addresses',
      stage: 'trial',
      participants: [{ personId: person.id, role: 'defendant' }],
    });
    // Advocates inserted directly: the API would refuse these URLs.
    const keyring = t.app.get(Keyring);
    const urls = [`${hooks.url}/hook`, `http://127.0.0.1:${closedPort}/hook`, `http://localhost:${closedPort}/`];
    for (const url of urls) {
      const token = `ctc_${randomBytes(32).toString('base64url')}`;
      const [advocate] = await t.dataSource.query<Array<{ id: string }>>(
        `INSERT INTO advocates (name, email, language, time_zone, webhook_url, webhook_secret, calendar_token_hash,
                                calendar_token)
         VALUES ('Aigerim Tleuzhan', $1, 'en', 'UTC', $2, $3, $4, $5) RETURNING id`,
        [
          uniqueEmail(),
          url,
          keyring.encrypt('ctw_secret', 'advocate.webhookSecret'),
          createHash('sha256').update(token).digest('hex'),
          keyring.encrypt(token, 'advocate.calendarToken'),
        ],
      );
      await t.dataSource.query(
        `INSERT INTO subscriptions (advocate_id, case_id, lead_times, channels, announce, status)
         VALUES ($1, $2, '{PT55S}', '{webhook}', '{}', 'active')`,
        [advocate!.id, kase.id],
      );
    }
    const hearing = await t.admin
      .post(`/api/v1/cases/${kase.id}/hearings`)
      .send({
        startsAt: new Date(Date.now() + 60_000).toISOString(),
        timeZone: 'Asia/Almaty',
        court: 'Almaty City Court',
      })
      .expect(201);

    type Row = { status: string; attempts: number; last_error: string | null };
    const rows = () =>
      t.dataSource.query<Row[]>(`SELECT status, attempts, last_error FROM reminders WHERE hearing_id = $1`, [
        hearing.body.id,
      ]);
    expect(await rows()).toHaveLength(urls.length);
    const deadline = Date.now() + 15_000;
    while (!(await rows()).every((r) => r.status === 'failed')) {
      if (Date.now() > deadline) throw new Error(`reminders not failed: ${JSON.stringify(await rows())}`);
      await sleep(100);
    }
    // Permanent: one attempt each, although four are allowed; and nothing tells the ports apart.
    expect(await rows()).toEqual(
      urls.map(() => ({ status: 'failed', attempts: 1, last_error: PRIVATE_ADDRESS_ERROR })),
    );
    expect(hooks.calls).toEqual([]);
  });
});
