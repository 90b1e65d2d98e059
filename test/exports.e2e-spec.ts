import { ExportsReconciler } from '#reports';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createCase, createEvent, createHearing, createPerson, createSource, UNKNOWN_ID } from './support/fixtures.js';
import { packageParts, pdfPages, searchableText } from './support/report-files.js';
import { type AppWithWorker, startAppWithWorker } from './support/app-with-worker.js';
import type { Client, TestApp } from './support/test-app.js';

const FORMATS = ['pdf', 'docx', 'html', 'csv', 'xlsx', 'json'] as const;
const MARKING = 'INTERNAL - do not distribute';
/** Text that must never reach a public file (and, for the restricted ones, no file at all). */
const INTERNAL_NOTE = 'Internal note 7731: lawyer expects the prosecutor to drop one charge';
const RESTRICTED_NOTE = 'Restricted note 4412: the source is his cousin';
const CONTACT = 'Contact 9903: his wife, +7 701 000 0000';
const INTERNAL_SOURCE = 'Internal dossier 5120 of the monitoring group';
const RU = JSON.parse(readFileSync(new URL('../libs/reports/src/locales/ru.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

interface ExportBody {
  id: string;
  status: string;
  progress: number;
  fileName: string | null;
  fileUrl: string | null;
  error: string | null;
}

describe('campaign reports and exports', () => {
  let app: AppWithWorker;
  let t: TestApp;
  let worker: TestingModule;
  let mamay: string;
  let internalPerson: string;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    // A database and queues of its own: the worker started here takes every job of its queues.
    app = await startAppWithWorker('exports');
    ({ t, worker } = app);
    mamay = await seedMamay(t);
    internalPerson = (
      await createPerson(t, {
        names: [{ value: 'Internal Only Person', preferred: true }],
        visibility: 'internal',
      })
    ).id;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function exportFile(
    client: Client,
    body: Record<string, unknown>,
  ): Promise<{ bytes: Buffer; res: request.Response; view: ExportBody }> {
    const created = await client.post('/api/v1/exports').send(body);
    expect(created.status).toBe(202);
    expect(created.headers.location).toBe(`/api/v1/exports/${created.body.id}`);
    const view = await waitDone(client, created.body.id as string);
    const res = await client
      .get(view.fileUrl!)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    return { bytes: res.body as Buffer, res, view };
  }

  async function waitDone(client: Client, id: string): Promise<ExportBody> {
    for (let i = 0; i < 300; i += 1) {
      const res = await client.get(`/api/v1/exports/${id}`).expect(200);
      const view = res.body as ExportBody;
      if (view.status === 'done') return view;
      if (view.status === 'failed') throw new Error(`export failed: ${view.error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`export ${id} did not finish`);
  }

  it('renders the public dossier as a searchable PDF with every spelling, the timeline and the next hearing', async () => {
    const { bytes, res, view } = await exportFile(t.editor, {
      kind: 'dossier',
      personId: mamay,
      format: 'pdf',
      language: 'en',
      audience: 'public',
    });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(view.fileName).toBe(`zhanbolat-mamay-dossier-${today()}.pdf`);
    expect(res.headers['content-disposition']).toContain(`filename="zhanbolat-mamay-dossier-${today()}.pdf"`);
    const text = (await pdfPages(bytes)).join('\n');
    expect(text).toContain('Zhanbolat Mamay');
    expect(text).toContain('Жанболат Мамай');
    expect(text).toContain('Dzjanboelat Mamai');
    // The timeline keeps partial dates as written.
    expect(text).toContain('March 2022');
    expect(text).toMatch(/around November 2022/i);
    // The next hearing, in the court's local time (Almaty is UTC+5 since 1 March 2024).
    expect(text).toContain('Asia/Almaty');
    expect(text).toContain('10:00');
    expect(text).toContain('274');
  });

  it.each(FORMATS)('keeps internal and restricted material out of the public %s', async (format) => {
    const { bytes } = await exportFile(t.admin, { kind: 'dossier', personId: mamay, format, audience: 'public' });
    const text = await searchableText(format, bytes);
    expect(text).toContain('Mamay');
    for (const secret of [INTERNAL_NOTE, RESTRICTED_NOTE, CONTACT, INTERNAL_SOURCE, 'Internal hearing room 13']) {
      expect(text).not.toContain(secret.slice(0, 20));
    }
    expect(text).not.toContain(MARKING);
  });

  it.each(FORMATS)('marks the internal %s and includes internal notes but never restricted ones', async (format) => {
    const { bytes } = await exportFile(t.admin, { kind: 'dossier', personId: mamay, format, audience: 'internal' });
    const text = await searchableText(format, bytes);
    expect(text).toContain(MARKING);
    expect(text).toContain(INTERNAL_NOTE.slice(0, 20));
    expect(text).not.toContain(RESTRICTED_NOTE.slice(0, 20));
    expect(text).not.toContain(CONTACT.slice(0, 20));
  });

  it('marks every page of an internal PDF', async () => {
    const { bytes } = await exportFile(t.editor, {
      kind: 'campaign',
      filter: { country: 'KZ' },
      format: 'pdf',
      audience: 'internal',
    });
    const pages = await pdfPages(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const page of pages) expect(page).toContain(MARKING);
  });

  it('writes the dossier in Russian', async () => {
    const { bytes } = await exportFile(t.editor, { kind: 'dossier', personId: mamay, format: 'html', language: 'ru' });
    const html = bytes.toString('utf8');
    expect(html).toContain('lang="ru"');
    expect(html).toContain('Жанболат Мамай');
    expect(html).toContain('2022');
    // Labels come from the Russian catalog, whatever their wording.
    const russianLabels = JSON.stringify(RU).match(/[А-Яа-яЁё][А-Яа-яЁё ]{5,}/g) ?? [];
    expect(russianLabels.some((label) => html.includes(label))).toBe(true);
  });

  it('exports a campaign list as CSV with a BOM, the expected header and Cyrillic intact', async () => {
    const { bytes, res } = await exportFile(t.editor, {
      kind: 'campaign',
      filter: { country: 'KZ', status: ['house-arrest'] },
      format: 'csv',
    });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]!.split(',').length).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toMatch(/Name/i);
    const body = lines.slice(1).join('\n');
    expect(body).toContain('Zhanbolat Mamay');
    expect(body).toContain('Жанболат Мамай');
    expect(body).not.toContain('Internal Only Person');
  });

  it('exports a campaign list as XLSX and JSON with the summary', async () => {
    const { bytes } = await exportFile(t.editor, { kind: 'campaign', filter: { country: 'KZ' }, format: 'xlsx' });
    const parts = await packageParts(bytes);
    expect(parts.has('[Content_Types].xml')).toBe(true);
    expect([...parts.values()].join('')).toContain('Жанболат Мамай');
    const json = await exportFile(t.editor, { kind: 'campaign', filter: { country: 'KZ' }, format: 'json' });
    const data = JSON.parse(json.bytes.toString('utf8')) as {
      summary: { persons: number; byStatus: Array<{ key: string; count: number }> };
      rows: Array<{ name: string }>;
    };
    expect(data.summary.persons).toBe(data.rows.length);
    expect(data.rows.map((r) => r.name)).toContain('Zhanbolat Mamay');
    expect(data.summary.byStatus).toContainEqual({ key: 'house-arrest', count: expect.any(Number) });
  });

  it('makes a valid Office Open XML document of the dossier', async () => {
    const { bytes, res } = await exportFile(t.editor, { kind: 'dossier', personId: mamay, format: 'docx' });
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const parts = await packageParts(bytes);
    expect(parts.get('[Content_Types].xml')).toContain('wordprocessingml.document.main+xml');
    expect(parts.get('_rels/.rels')).toContain('word/document.xml');
    expect(parts.get('word/document.xml')).toContain('Zhanbolat Mamay');
    expect(parts.get('word/document.xml')).toContain('Жанболат Мамай');
  });

  it('renders small dossiers at once, and audits every export with its audience', async () => {
    const pdf = await t.viewer.get(`/api/v1/persons/${mamay}/dossier.pdf`).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const html = await t.viewer.get(`/api/v1/persons/${mamay}/dossier.html?language=ru`).expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('Жанболат Мамай');
    await t.viewer.get(`/api/v1/persons/${mamay}/dossier.docx?audience=internal`).expect(403);
    const history = await t.admin.get(`/api/v1/persons/${mamay}/history`).query({ limit: 100 }).expect(200);
    const exports = (history.body.items as Array<{ action: string; actor: { label: string } }>).filter(
      (e) => e.action === 'export',
    );
    expect(exports.length).toBeGreaterThanOrEqual(2);
  });

  it('answers bad requests with 400, 403 and 404 and writes nothing', async () => {
    const count = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM exports'))[0].n as string);
    const before = await count();
    await t.editor.post('/api/v1/exports').send({ kind: 'dossier', personId: UNKNOWN_ID, format: 'pdf' }).expect(404);
    const format = await t.editor.post('/api/v1/exports').send({ kind: 'dossier', personId: mamay, format: 'odt' });
    expect(format.status).toBe(400);
    expect(format.body.errors.map((e: { field: string }) => e.field)).toContain('format');
    const language = await t.editor
      .post('/api/v1/exports')
      .send({ kind: 'dossier', personId: mamay, format: 'pdf', language: 'xx' });
    expect(language.status).toBe(400);
    expect(language.body.errors.map((e: { field: string }) => e.field)).toContain('language');
    await t.viewer
      .post('/api/v1/exports')
      .send({ kind: 'dossier', personId: mamay, format: 'pdf', audience: 'internal' })
      .expect(403);
    const notPublic = await t.editor
      .post('/api/v1/exports')
      .send({ kind: 'dossier', personId: internalPerson, format: 'pdf', audience: 'public' });
    expect(notPublic.status).toBe(400);
    expect(notPublic.body.errors[0].field).toBe('audience');
    await t.editor.post('/api/v1/exports').send({ kind: 'dossier', format: 'pdf' }).expect(400);
    await t.editor.post('/api/v1/exports').send({ kind: 'campaign', personId: mamay, format: 'pdf' }).expect(400);
    await t.editor
      .post('/api/v1/exports')
      .send({ kind: 'campaign', format: 'pdf', filter: { status: ['nonsense'] } })
      .expect(400);
    await t.viewer.get(`/api/v1/persons/${UNKNOWN_ID}/dossier.pdf`).expect(404);
    expect(await count()).toBe(before);
  });

  it('shows an export to its requester and admins only, and expires its file', async () => {
    const created = await t.editor.post('/api/v1/exports').send({ kind: 'dossier', personId: mamay, format: 'json' });
    const view = await waitDone(t.editor, created.body.id as string);
    await t.viewer.get(`/api/v1/exports/${view.id}`).expect(404);
    await t.viewer.get(`/api/v1/exports/${view.id}/file`).expect(404);
    await t.admin.get(`/api/v1/exports/${view.id}`).expect(200);
    await t.dataSource.query(`UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [view.id]);
    const result = await worker.get(ExportsReconciler).run();
    expect(result.expired).toBeGreaterThanOrEqual(1);
    await t.editor.get(`/api/v1/exports/${view.id}/file`).expect(410);
    const chunks = await t.dataSource.query('SELECT count(*)::int AS n FROM export_chunks WHERE export_id = $1', [
      view.id,
    ]);
    expect(chunks[0].n).toBe(0);
  });

  it('re-enqueues an export whose job was lost with Redis', async () => {
    const [row] = await t.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO exports (kind, format, language, audience, person_id, requested_by, expires_at, created_at)
       VALUES ('dossier', 'json', 'en', 'public', $1, $2, now() + interval '1 day', now() - interval '5 minutes')
       RETURNING id`,
      [mamay, JSON.stringify({ kind: 'user', id: null, label: 'lost' })],
    );
    const result = await worker.get(ExportsReconciler).run();
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    const done = await waitDone(t.admin, row!.id);
    expect(done.fileName).toMatch(/\.json$/);
  });
});

/** Zhanbolat Mamay's case file, from public reports, with internal and restricted material around it. */
async function seedMamay(t: TestApp): Promise<string> {
  const source = await createSource(t, {
    publisher: 'RFE/RL',
    title: 'Kazakh journalist Mamay placed under house arrest',
    visibility: 'public',
    published: { date: '2022-04', precision: 'month' },
  });
  const internalSource = await createSource(t, {
    publisher: 'Monitoring group',
    title: INTERNAL_SOURCE,
    visibility: 'internal',
  });
  const person = await createPerson(t, {
    names: [
      { value: 'Zhanbolat Mamay', script: 'Latn', lang: 'en', preferred: true },
      { value: 'Жанболат Мамай', script: 'Cyrl', lang: 'kk' },
      { value: 'Dzjanboelat Mamai', script: 'Latn', lang: 'nl' },
    ],
    country: 'KZ',
    occupations: ['journalist'],
    visibility: 'public',
    contactDetails: CONTACT,
    sourceIds: [source.id, internalSource.id],
  });
  const events = `/api/v1/persons/${person.id}/custody-events`;
  const custody = [
    { status: 'arrested', from: { date: '2022-03', precision: 'month' }, place: 'Almaty', visibility: 'public' },
    { status: 'pretrial-detention', from: { date: '2022-03', precision: 'month' }, visibility: 'public' },
    { status: 'house-arrest', from: { date: '2022-11', precision: 'approximate' }, visibility: 'public' },
  ];
  for (const event of custody) await t.admin.post(events).send(event).expect(201);
  const unrest = await createEvent(t, { names: ['January 2022 unrest'] });
  const theCase = await createCase(t, {
    title: 'Prosecution of Zhanbolat Mamay',
    stage: 'trial',
    country: 'KZ',
    court: 'Almaty City Court',
    eventId: unrest.id,
    visibility: 'public',
    participants: [{ personId: person.id, role: 'defendant' }],
    charges: [
      { article: '274', description: 'spreading knowingly false information', maxSentence: { years: 10 } },
      { article: '272', description: 'organising mass unrest', maxSentence: { years: 10 } },
    ],
  });
  const nextYear = new Date().getUTCFullYear() + 1;
  await createHearing(t, theCase.id, {
    startsAt: `${nextYear}-03-14T10:00`,
    court: 'Almaty City Court',
    kind: 'trial',
    visibility: 'public',
  });
  await createHearing(t, theCase.id, {
    startsAt: `${nextYear}-02-01T09:00`,
    courtroom: 'Internal hearing room 13',
    kind: 'preliminary',
    visibility: 'internal',
  });
  await t.admin
    .post(`/api/v1/persons/${person.id}/notes`)
    .send({ body: INTERNAL_NOTE, visibility: 'internal' })
    .expect(201);
  await t.admin
    .post(`/api/v1/persons/${person.id}/notes`)
    .send({ body: RESTRICTED_NOTE, visibility: 'restricted' })
    .expect(201);
  await t.admin
    .put(`/api/v1/persons/${person.id}/campaign`)
    .send({
      headline: 'Journalist held under house arrest awaiting trial',
      actionNumber: 'UA 12/22',
      summary: 'Zhanbolat Mamay, editor of Tribuna, faces up to ten years in prison for his journalism.',
      modelLetter: {
        salutation: 'Dear Prosecutor General,',
        facts: 'Zhanbolat Mamay has been held since March 2022.',
        requests: ['Drop all charges against Zhanbolat Mamay.'],
        closing: 'Yours sincerely,',
      },
      recipients: [
        {
          title: 'Prosecutor General',
          name: 'Prosecutor General of Kazakhstan',
          salutation: 'Dear Prosecutor General,',
          preferredLanguage: 'ru',
        },
      ],
      visibility: 'public',
    })
    .expect(201);
  return person.id;
}
