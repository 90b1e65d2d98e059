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
/** A note marked public is still working material: only internal reports carry notes. */
const PUBLIC_NOTE = 'Public note 6620: the family visited him on Sunday';
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
  let unrest: string;
  /** Login email of the editor who wrote the public note (a note's author is its writer's login). */
  let noteAuthor: string;
  let internalPerson: string;
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    // A database and queues of its own: the worker started here takes every job of its queues.
    app = await startAppWithWorker('exports');
    ({ t, worker } = app);
    ({ person: mamay, event: unrest, noteAuthor } = await seedMamay(t));
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

  it.each(FORMATS)('leaves notes, even one marked public, and their authors out of the public %s', async (format) => {
    const { bytes } = await exportFile(t.admin, { kind: 'dossier', personId: mamay, format, audience: 'public' });
    const text = await searchableText(format, bytes);
    expect(text).toContain('Mamay');
    expect(text).not.toContain(PUBLIC_NOTE.slice(0, 20));
    expect(text).not.toContain(noteAuthor);
    expect(text).not.toContain(noteAuthor.split('@')[0]);
    if (format === 'json') expect(JSON.parse(text).notes).toEqual([]);
  });

  it.each(FORMATS)('marks the internal %s and includes internal notes but never restricted ones', async (format) => {
    const { bytes } = await exportFile(t.admin, { kind: 'dossier', personId: mamay, format, audience: 'internal' });
    const text = await searchableText(format, bytes);
    expect(text).toContain(MARKING);
    expect(text).toContain(INTERNAL_NOTE.slice(0, 20));
    expect(text).toContain(PUBLIC_NOTE.slice(0, 20));
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

  it('answers 410 for a finished export past its expiry, and shows it expired, before the reconciler runs', async () => {
    const created = await t.editor.post('/api/v1/exports').send({ kind: 'dossier', personId: mamay, format: 'json' });
    const view = await waitDone(t.editor, created.body.id as string);
    await t.editor.get(view.fileUrl!).expect(200);
    await t.dataSource.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [view.id]);
    // The reconciler has not run: the row is still `done` and its chunks are still there.
    const [row] = await t.dataSource.query<Array<{ status: string }>>('SELECT status FROM exports WHERE id = $1', [
      view.id,
    ]);
    expect(row!.status).toBe('done');
    const file = await t.editor.get(`/api/v1/exports/${view.id}/file`);
    expect(file.status).toBe(410);
    await t.admin.get(`/api/v1/exports/${view.id}/file`).expect(410);
    const shown = await t.editor.get(`/api/v1/exports/${view.id}`).expect(200);
    expect(shown.body).toMatchObject({ status: 'expired', fileUrl: null });
  });

  it("makes a witness's headline from their own cases, and says they are not charged in the trial they witness", async () => {
    const witness = await createPerson(t, {
      names: [{ value: 'Aigul Witness', preferred: true }],
      country: 'KZ',
      occupations: ['journalist'],
      visibility: 'public',
    });
    await t.admin
      .post(`/api/v1/persons/${witness.id}/custody-events`)
      .send({ status: 'at-liberty', from: { date: '2022-05', precision: 'month' }, visibility: 'public' })
      .expect(201);
    const defendant = await createPerson(t, {
      names: [{ value: 'Marat Zhylanbayev', preferred: true }],
      country: 'KZ',
      visibility: 'public',
    });
    await createCase(t, {
      title: 'Prosecution of Marat Zhylanbayev',
      stage: 'trial',
      visibility: 'public',
      participants: [
        { personId: defendant.id, role: 'defendant' },
        { personId: witness.id, role: 'witness' },
      ],
      charges: [{ article: '405', description: 'participating in a banned organisation' }],
    });
    const html = await t.viewer.get(`/api/v1/persons/${witness.id}/dossier.html`).expect(200);
    const title = /<title>([^<]*)<\/title>/.exec(html.text)?.[1];
    expect(title).toBe('Journalist at liberty');
    expect(html.text).not.toMatch(/on trial/);
    expect(html.text).toContain('Aigul Witness is not charged in this case (role: witness).');
    const pdf = await t.viewer.get(`/api/v1/persons/${witness.id}/dossier.pdf`).buffer(true).expect(200);
    const text = (await pdfPages(pdf.body as Buffer)).join('\n');
    expect(text).toContain('Journalist at liberty');
    expect(text).not.toContain('on trial');
  });

  it('lists hearings whose time has passed as past, and a postponed one still to come as upcoming', async () => {
    const person = await createPerson(t, {
      names: [{ value: 'Hearings Person', preferred: true }],
      country: 'KZ',
      visibility: 'public',
    });
    const kase = await createCase(t, {
      title: 'Case of Hearings Person',
      stage: 'trial',
      visibility: 'public',
      participants: [{ personId: person.id, role: 'defendant' }],
    });
    const nextYear = new Date().getUTCFullYear() + 1;
    const lastYear = new Date().getUTCFullYear() - 1;
    const hearing = (startsAt: string, status: string, courtroom: string) =>
      createHearing(t, kase.id, { startsAt, status, courtroom, kind: 'trial', visibility: 'public' });
    await hearing(`${lastYear}-05-10T10:00`, 'held', 'held-past');
    await hearing(`${lastYear}-06-10T10:00`, 'scheduled', 'never-marked-held');
    await hearing(`${lastYear}-07-10T10:00`, 'postponed', 'postponed-past');
    await hearing(`${nextYear}-04-10T10:00`, 'postponed', 'postponed-future');
    await hearing(`${nextYear}-05-10T10:00`, 'scheduled', 'scheduled-future');
    await hearing(`${nextYear}-06-10T10:00`, 'cancelled', 'cancelled-future');
    const { bytes } = await exportFile(t.editor, { kind: 'dossier', personId: person.id, format: 'json' });
    const data = JSON.parse(bytes.toString('utf8')) as {
      cases: Array<{ pastHearings: Array<{ courtroom: string }>; upcomingHearings: Array<{ courtroom: string }> }>;
    };
    const [only] = data.cases;
    expect(only!.pastHearings.map((h) => h.courtroom)).toEqual(['held-past', 'never-marked-held', 'postponed-past']);
    expect(only!.upcomingHearings.map((h) => h.courtroom)).toEqual(['postponed-future', 'scheduled-future']);
    const html = await t.viewer.get(`/api/v1/persons/${person.id}/dossier.html`).expect(200);
    expect(html.text).toContain('trial hearing (postponed)');
  });

  it('counts persons with no custody recorded apart from the status unknown, as the person facets do', async () => {
    const none = await createPerson(t, {
      names: [{ value: 'No Custody Person', preferred: true }],
      country: 'UZ',
      visibility: 'public',
    });
    const unknown = await createPerson(t, {
      names: [{ value: 'Unknown Status Person', preferred: true }],
      country: 'UZ',
      visibility: 'public',
    });
    await t.admin
      .post(`/api/v1/persons/${unknown.id}/custody-events`)
      .send({ status: 'unknown', from: { date: '2023', precision: 'year' }, visibility: 'public' })
      .expect(201);
    const facets = await t.viewer.get('/api/v1/persons').query({ country: 'UZ', facets: 'true' }).expect(200);
    const expected = [
      { key: 'unknown', count: 1 },
      { key: null, count: 1 },
    ];
    expect(facets.body.facets.status).toEqual(expected);
    const json = await exportFile(t.viewer, { kind: 'campaign', filter: { country: 'UZ' }, format: 'json' });
    const data = JSON.parse(json.bytes.toString('utf8')) as { summary: { persons: number; byStatus: unknown } };
    expect(data.summary.persons).toBe(2);
    expect(data.summary.byStatus).toEqual(expected);
    const filtered = await t.viewer.get('/api/v1/persons').query({ country: 'UZ', status: 'unknown' }).expect(200);
    expect(filtered.body.items.map((p: { id: string }) => p.id)).toEqual([unknown.id]);
    expect(none.id).not.toBe(unknown.id);
    for (const format of ['pdf', 'docx', 'html', 'xlsx'] as const) {
      const { bytes } = await exportFile(t.viewer, { kind: 'campaign', filter: { country: 'UZ' }, format });
      const text = format === 'pdf' ? (await pdfPages(bytes)).join('\n') : await searchableText(format, bytes);
      expect({ format, none: text.includes('Status: no custody recorded') }).toEqual({ format, none: true });
      expect({ format, unknown: text.includes('Status: unknown') }).toEqual({ format, unknown: true });
    }
  });

  it('names the mass event of a campaign list filter, never its id', async () => {
    const named = await exportFile(t.viewer, { kind: 'campaign', filter: { eventId: unrest }, format: 'html' });
    const html = named.bytes.toString('utf8');
    expect(html).toContain('mass event: January 2022 unrest');
    expect(html).not.toContain(unrest);
    const unknown = await exportFile(t.viewer, { kind: 'campaign', filter: { eventId: UNKNOWN_ID }, format: 'pdf' });
    const text = (await pdfPages(unknown.bytes)).join('\n');
    expect(text).toContain('mass event (name not shown)');
    expect(text).not.toContain(UNKNOWN_ID);
  });

  it('refuses a campaign filter that is not an object, with the field', async () => {
    const count = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM exports'))[0].n as string);
    const before = await count();
    for (const filter of [[], [{ country: 'KZ' }], 'KZ', 5, true]) {
      const res = await t.editor.post('/api/v1/exports').send({ kind: 'campaign', format: 'csv', filter });
      expect({ filter, status: res.status }).toEqual({ filter, status: 400 });
      const errors = res.body.errors as Array<{ field: string; message: string }>;
      expect(errors.map((e) => e.field)).toContain('filter');
      expect(errors.find((e) => e.field === 'filter')!.message).toMatch(/object/);
    }
    expect(await count()).toBe(before);
  });

  it('says why a dossier may not be exported for its audience, naming nothing of the case file', async () => {
    const restricted = await createPerson(t, {
      names: [{ value: 'Restricted Secret Person', preferred: true }],
      country: 'KZ',
      visibility: 'restricted',
    });
    for (const audience of ['internal', 'public']) {
      const res = await t.admin
        .post('/api/v1/exports')
        .send({ kind: 'dossier', personId: restricted.id, format: 'pdf', audience });
      expect(res.status).toBe(400);
      const text = JSON.stringify(res.body);
      expect(text).toContain('restricted case files are never exported');
      expect(text).not.toContain('only an internal report');
      expect(text).not.toContain('Restricted Secret');
      expect(text).not.toContain(restricted.id);
    }
    const sync = await t.admin.get(`/api/v1/persons/${restricted.id}/dossier.pdf?audience=internal`);
    expect(sync.status).toBe(400);
    expect(JSON.stringify(sync.body)).toContain('restricted case files are never exported');
    const notPublic = await t.editor
      .post('/api/v1/exports')
      .send({ kind: 'dossier', personId: internalPerson, format: 'pdf', audience: 'public' });
    expect(notPublic.status).toBe(400);
    expect(notPublic.body.errors).toEqual([{ field: 'audience', message: expect.stringMatching(/internal report/) }]);
    expect(JSON.stringify(notPublic.body)).not.toContain('Internal Only Person');
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
async function seedMamay(t: TestApp): Promise<{ person: string; event: string; noteAuthor: string }> {
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
  const author = await t.createUser('editor', 'Note author');
  await author.client
    .post(`/api/v1/persons/${person.id}/notes`)
    .send({ body: PUBLIC_NOTE, visibility: 'public' })
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
  return { person: person.id, event: unrest.id, noteAuthor: author.email };
}
