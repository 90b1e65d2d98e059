import { verifyAuditChain } from '#audit';
import { ImportsReconciler } from '#imports';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { DEFENDANT_STAGE_BITS_SQL, STAGE_BIT_ORDER } from '../migrations/1795260000005-DefendantStageBits.js';
import { createEvent, createPerson, createSource } from './support/fixtures.js';
import { type AppWithWorker, startAppWithWorker } from './support/app-with-worker.js';
import type { Client, TestApp } from './support/test-app.js';

interface Problem {
  row: number;
  column: string;
  message: string;
}

interface ImportBody {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  mode: string;
  format: string;
  progress: number;
  rowsRead: number;
  error: string | null;
  report: {
    rows: number;
    imported: number;
    unchanged: number;
    created: { persons: number; custodyEvents: number; cases: number; hearings: number };
    updated: { persons: number; cases: number };
    duplicates: Array<{
      row: number;
      name: string;
      personId: string | null;
      matchedName: string;
      duplicateOfRow: number | null;
    }>;
    duplicateCount: number;
    errors: Problem[];
    errorCount: number;
    invalidRows: number;
  } | null;
}

const HEADER = [
  'external_id',
  'name',
  'name_cyrillic',
  'other_names',
  'birth_year',
  'country',
  'custody_status',
  'custody_since',
  'place',
  'case_title',
  'charges',
  'stage',
  'next_hearing_at',
  'hearing_time_zone',
  'court',
  'visibility',
  'source',
];

/** A CSV file: `,` between cells (quoted where needed), CRLF line ends. */
function csv(rows: Array<Record<string, string | undefined>>, header: string[] = HEADER, delimiter = ','): Buffer {
  const quote = (value: string) =>
    value.includes(delimiter) || value.includes('"') || value.includes('\n') ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [header.join(delimiter), ...rows.map((r) => header.map((h) => quote(r[h] ?? '')).join(delimiter))];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

describe('imports', () => {
  let app: AppWithWorker;
  let t: TestApp;
  let worker: TestingModule;
  const nextYear = new Date().getUTCFullYear() + 1;
  let sourceUrl: string;

  beforeAll(async () => {
    // A database and queues of their own: counts are exact, and this worker takes every import job.
    app = await startAppWithWorker('imports');
    ({ t, worker } = app);
    sourceUrl = 'https://rus.azattyq.org/a/kazakhstan-mamay.html';
    await createSource(t, {
      publisher: 'Azattyq',
      title: 'Mamay under house arrest',
      url: sourceUrl,
      visibility: 'public',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  function upload(client: Client, file: Buffer, fileName: string, fields: Record<string, string> = {}) {
    const req = client.post('/api/v1/imports');
    for (const [name, value] of Object.entries(fields)) void req.field(name, value);
    return req.attach('file', file, fileName);
  }

  async function waitFinished(client: Client, id: string): Promise<ImportBody> {
    for (let i = 0; i < 600; i += 1) {
      const res = await client.get(`/api/v1/imports/${id}`).expect(200);
      const body = res.body as ImportBody;
      if (body.status === 'done' || body.status === 'failed') return body;
      await setTimeout(100);
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function importFile(
    client: Client,
    file: Buffer,
    fileName: string,
    fields: Record<string, string> = {},
  ): Promise<ImportBody> {
    const res = await upload(client, file, fileName, fields);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/imports/${res.body.id}`);
    expect(['queued', 'running', 'done']).toContain(res.body.status);
    return waitFinished(client, res.body.id as string);
  }

  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number);

  /**
   * Whether every uploaded chunk is gone within 10 s: a refused upload's chunks are deleted just
   * after the response (Nest removes files rejected by a pipe when the response closes; multer
   * answers 413 before the storage engine's write stops).
   */
  const noChunksLeft = async () => {
    const deadline = Date.now() + 10_000;
    while ((await count('import_chunks')) > 0 && Date.now() < deadline) await setTimeout(100);
    return (await count('import_chunks')) === 0;
  };

  const counts = async () => ({
    persons: await count('persons'),
    names: await count('person_names'),
    custody: await count('custody_events'),
    cases: await count('cases'),
    charges: await count('case_charges'),
    hearings: await count('hearings'),
    audit: await count('audit_log'),
  });

  /** Persons whose stored defendant stages are not what the migration's rule computes from the cases. */
  const staleDefendantStages = async () =>
    t.dataSource.query(
      `SELECT p.id FROM persons p LEFT JOIN (${DEFENDANT_STAGE_BITS_SQL}) s ON s.person_id = p.id
        WHERE p.defendant_stage_bits_all <> COALESCE(s.bits_all, 0)
           OR p.defendant_stage_bits_unrestricted <> COALESCE(s.bits_unrestricted, 0)
           OR p.defendant_stage_bits_public <> COALESCE(s.bits_public, 0)`,
      [STAGE_BIT_ORDER],
    );

  const personByExternalId = async (externalId: string) => {
    const [row] = await t.dataSource.query<Array<{ id: string; version: number }>>(
      'SELECT id, version FROM persons WHERE external_id = $1',
      [externalId],
    );
    return row;
  };

  /** Three prisoners of Kazakhstan, with Latin and Cyrillic names, `;` lists, partial dates, hearings. */
  const PRISONERS = [
    {
      external_id: 'kz-imp-001',
      name: 'Zhanbolat Mamay',
      name_cyrillic: 'Жанболат Мамай',
      other_names: 'Dzjanboelat Mamai; Zhanbolat Mamai',
      birth_year: '1988',
      country: 'KZ',
      custody_status: 'house-arrest',
      custody_since: '~2022-11',
      place: 'Almaty',
      case_title: 'Prosecution of Zhanbolat Mamay',
      charges: 'spreading knowingly false information; organising mass unrest',
      stage: 'trial',
      next_hearing_at: `${nextYear}-03-15T10:00`,
      hearing_time_zone: 'Asia/Almaty',
      court: 'Almaty City Court',
      visibility: 'public',
      source: '', // set in the test (the URL of a source)
    },
    {
      external_id: 'kz-imp-002',
      name: 'Айгуль Сейтказина',
      other_names: 'Aigul Seitkazina',
      birth_year: '~1975',
      country: 'kz',
      custody_status: 'Pretrial detention',
      custody_since: '15.01.2022',
      place: 'Taldykorgan',
      case_title: 'Case of the January events in Taldykorgan',
      charges: 'participation in mass unrest',
      stage: 'investigation',
    },
    {
      external_id: 'kz-imp-003',
      name: 'Serik Ospanov',
      custody_status: 'imprisoned',
      custody_since: '2023',
      case_title: 'Ospanov case',
      stage: 'verdict',
    },
  ];
  const prisoners = () => PRISONERS.map((p, i) => (i === 0 ? { ...p, source: sourceUrl } : p));

  it('checks a dry run row by row, reporting row, column and message, and writes nothing', async () => {
    const before = await counts();
    const rows = [
      ...prisoners(),
      { external_id: 'kz-imp-bad-1', name: 'Bad Date', custody_status: 'arrested', custody_since: '2022-13' },
      { external_id: 'kz-imp-bad-2', name: 'Unknown Status', custody_status: 'jailed', custody_since: '2022' },
      { external_id: 'kz-imp-bad-3', name: 'Unknown Source', source: 'https://example.org/nowhere' },
    ];
    const done = await importFile(t.editor, csv(rows), 'dry-run.csv', { dryRun: 'true' });
    expect(done.status).toBe('done');
    expect(done.dryRun).toBe(true);
    expect(done.progress).toBe(100);
    const report = done.report!;
    expect(report.rows).toBe(6);
    expect(report.imported).toBe(3);
    expect(report.invalidRows).toBe(3);
    expect(report.created).toEqual({ persons: 3, custodyEvents: 3, cases: 3, hearings: 1 });
    expect(report.errors).toEqual([
      { row: 5, column: 'custody_since', message: expect.stringContaining('not a valid partial date') },
      { row: 6, column: 'custody_status', message: expect.stringContaining('must be one of') },
      { row: 7, column: 'source', message: expect.stringContaining('names no source') },
    ]);
    expect(report.errorCount).toBe(3);
    expect(await counts()).toEqual(before);
  });

  it('imports a CSV with Cyrillic names, ; lists, partial dates and court-time hearings, each record audited', async () => {
    const done = await importFile(t.editor, csv(prisoners()), 'prisoners.csv');
    expect(done.status).toBe('done');
    expect(done.error).toBeNull();
    expect(done.report).toMatchObject({
      rows: 3,
      imported: 3,
      unchanged: 0,
      created: { persons: 3, custodyEvents: 3, cases: 3, hearings: 1 },
      updated: { persons: 0, cases: 0 },
      errorCount: 0,
      duplicateCount: 0,
    });

    const mamay = await personByExternalId('kz-imp-001');
    const file = (await t.editor.get(`/api/v1/persons/${mamay!.id}`).expect(200)).body;
    expect(file.displayName).toBe('Zhanbolat Mamay');
    expect(file.names.map((n: { value: string }) => n.value)).toEqual([
      'Zhanbolat Mamay',
      'Жанболат Мамай',
      'Dzjanboelat Mamai',
      'Zhanbolat Mamai',
    ]);
    expect(file.names[1]).toMatchObject({ script: 'Cyrl', preferred: false });
    expect(file.birthDate).toEqual({ date: '1988', precision: 'year' });
    expect(file.visibility).toBe('public');
    expect(file.currentCustody).toMatchObject({
      status: 'house-arrest',
      since: { date: '2022-11', precision: 'approximate' },
    });
    expect(file.cases).toHaveLength(1);
    expect(file.cases[0].charges.map((c: { description: string }) => c.description)).toEqual([
      'spreading knowingly false information',
      'organising mass unrest',
    ]);
    // Almaty is UTC+5 since 1 March 2024.
    expect(file.cases[0].nextHearing.startsAt).toBe(`${nextYear}-03-15T05:00:00.000Z`);
    expect(file.cases[0].nextHearing.localStartsAt).toBe(`${nextYear}-03-15T10:00:00+05:00`);
    expect(file.sourceIds).toHaveLength(1);

    // The stored current status (filters) agrees with the imported history.
    const filtered = await t.editor
      .get('/api/v1/persons')
      .query({ status: 'pretrial-detention', limit: 100 })
      .expect(200);
    expect(filtered.body.items.map((p: { externalId: string }) => p.externalId)).toContain('kz-imp-002');
    // So do the stored stages of their cases as defendants (the stage facet).
    expect(await staleDefendantStages()).toEqual([]);

    // Every record has an entry naming the import and the row, and the chain still verifies.
    const history = await t.admin.get(`/api/v1/persons/${mamay!.id}/history`).expect(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({
      action: 'create',
      reason: `import ${done.id} (prisoners.csv) row 2`,
    });
    const reasons = await t.dataSource.query<Array<{ entity_type: string; n: number }>>(
      `SELECT entity_type, count(*)::int AS n FROM audit_log WHERE reason LIKE $1 GROUP BY entity_type ORDER BY 1`,
      [`import ${done.id} %`],
    );
    expect(reasons).toEqual([
      { entity_type: 'case', n: 3 },
      { entity_type: 'custody-event', n: 3 },
      { entity_type: 'hearing', n: 1 },
      { entity_type: 'person', n: 3 },
    ]);
    const summary = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE entity_type = 'import' AND entity_id = $1`,
      [done.id],
    );
    expect(summary).toEqual([{ action: 'import' }]);
    expect((await verifyAuditChain(t.dataSource)).broken).toBeNull();
    // The uploaded file is deleted once the import has finished.
    expect(await count('import_chunks')).toBe(0);
  });

  it('changes nothing when the same file is imported again: no record, no version, no audit entry', async () => {
    const before = await counts();
    const versions = await Promise.all(['kz-imp-001', 'kz-imp-002', 'kz-imp-003'].map(personByExternalId));
    // The same rows, this time as a `;`-separated CSV with a byte order mark, as Excel saves it.
    const semicolons = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(prisoners(), HEADER, ';')]);
    const done = await importFile(t.editor, semicolons, 'prisoners-excel.csv');
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({
      rows: 3,
      imported: 3,
      unchanged: 3,
      created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 },
      updated: { persons: 0, cases: 0 },
      duplicateCount: 0,
      errorCount: 0,
    });
    expect(await counts()).toEqual(before);
    expect(await Promise.all(['kz-imp-001', 'kz-imp-002', 'kz-imp-003'].map(personByExternalId))).toEqual(versions);
  });

  it('updates a person found by external id with only what differs, and appends custody only when it changed', async () => {
    const before = await personByExternalId('kz-imp-003');
    const rows = [
      {
        external_id: 'kz-imp-003',
        name: 'Serik Ospanov',
        other_names: 'Серик Оспанов',
        country: 'KZ',
        custody_status: 'released',
        custody_since: '2024-02',
        case_title: 'ospanov case', // the same case, however it is capitalised
        stage: 'appeal',
      },
    ];
    const done = await importFile(t.editor, csv(rows), 'update.csv');
    expect(done.report).toMatchObject({
      created: { persons: 0, custodyEvents: 1, cases: 0, hearings: 0 },
      updated: { persons: 1, cases: 1 },
      unchanged: 0,
    });
    const after = await personByExternalId('kz-imp-003');
    expect(after!.id).toBe(before!.id);
    expect(after!.version).toBe(before!.version + 1);
    const file = (await t.editor.get(`/api/v1/persons/${after!.id}`).expect(200)).body;
    expect(file.country).toBe('KZ');
    expect(file.names.map((n: { value: string }) => n.value)).toEqual(['Serik Ospanov', 'Серик Оспанов']);
    expect(file.currentCustody.status).toBe('released');
    expect(file.custodyHistory.map((e: { status: string }) => e.status)).toEqual(['imprisoned', 'released']);
    expect(file.cases.map((c: { stage: string }) => c.stage)).toEqual(['appeal']);
    const [stored] = await t.dataSource.query<Array<{ bits: number }>>(
      'SELECT defendant_stage_bits_all AS bits FROM persons WHERE id = $1',
      [after!.id],
    );
    expect(stored!.bits).toBe(1 << STAGE_BIT_ORDER.indexOf('appeal'));
    expect(await staleDefendantStages()).toEqual([]);
    const history = await t.admin.get(`/api/v1/persons/${after!.id}/history`).expect(200);
    const update = history.body.items.at(-1);
    expect(update.action).toBe('update');
    expect(update.changes.map((c: { field: string }) => c.field).sort()).toEqual(['country', 'names']);
    expect((await verifyAuditChain(t.dataSource)).broken).toBeNull();
  });

  it('imports nothing from an all-or-nothing file with one bad row, and fails listing it', async () => {
    const before = await counts();
    const rows = [
      { external_id: 'kz-aon-1', name: 'Askar Nurlanov', birth_year: '1990' },
      { external_id: 'kz-aon-2', name: 'Dana Bekova', birth_year: '1992' },
      // Only the worker can tell: no source has this URL.
      { external_id: 'kz-aon-3', name: 'Marat Zhylanbayev', source: 'https://example.org/not-a-source' },
      { external_id: 'kz-aon-4', name: 'Gulnara Bazhkenova' },
    ];
    const done = await importFile(t.editor, csv(rows), 'all-or-nothing.csv');
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/nothing was imported/);
    expect(done.report!.errors).toEqual([
      { row: 4, column: 'source', message: expect.stringContaining('names no source') },
    ]);
    expect(done.report!.created).toEqual({ persons: 0, custodyEvents: 0, cases: 0, hearings: 0 });
    expect(await counts()).toEqual(before);
    expect(await personByExternalId('kz-aon-1')).toBeUndefined();
    expect(await count('import_chunks')).toBe(0);
  });

  it('writes the valid rows and reports the others with skip-invalid', async () => {
    const rows = [
      { external_id: 'kz-skip-1', name: 'Askar Nurlanov', birth_year: '1990' },
      { external_id: 'kz-skip-2', name: 'Bad Year', birth_year: 'nineteen ninety' },
      { external_id: 'kz-skip-3', name: 'Marat Zhylanbayev', source: 'https://example.org/not-a-source' },
      { external_id: 'kz-skip-4', name: 'Gulnara Bazhkenova', custody_status: 'arrested', custody_since: '2022-01-06' },
    ];
    const done = await importFile(t.editor, csv(rows), 'skip-invalid.csv', { mode: 'skip-invalid' });
    expect(done.status).toBe('done');
    expect(done.mode).toBe('skip-invalid');
    expect(done.report).toMatchObject({
      rows: 4,
      imported: 2,
      invalidRows: 2,
      created: { persons: 2, custodyEvents: 1, cases: 0, hearings: 0 },
    });
    expect(done.report!.errors).toEqual([
      { row: 3, column: 'birth_year', message: expect.stringContaining('year') },
      { row: 4, column: 'source', message: expect.stringContaining('names no source') },
    ]);
    expect(await personByExternalId('kz-skip-1')).toBeDefined();
    expect(await personByExternalId('kz-skip-2')).toBeUndefined();
    expect(await personByExternalId('kz-skip-3')).toBeUndefined();
    expect(await personByExternalId('kz-skip-4')).toBeDefined();
  });

  it('reports a probable duplicate (same person spelled differently, same year of birth) and writes it only once confirmed', async () => {
    const existing = await createPerson(t, {
      names: [
        { value: 'Zhanbolat Zhumabekov', script: 'Latn', preferred: true },
        { value: 'Жанболат Жумабеков', script: 'Cyrl' },
      ],
      birthDate: { date: '1979-05-02', precision: 'day' },
      country: 'KZ',
    });
    const before = await counts();
    const rows = [
      { name: 'Janbolat Jumabekov', birth_year: '1979', custody_status: 'arrested', custody_since: '2024' },
      // Another year of birth: another person.
      { name: 'Zhanbolat Zhumabekov', birth_year: '2001' },
      // The same new person twice in one file.
      { name: 'Yerlan Kaliyev', birth_year: '1985' },
      { name: 'Erlan Kaliev', birth_year: '1985' },
    ];
    const done = await importFile(t.editor, csv(rows), 'duplicates.csv');
    expect(done.status).toBe('done');
    expect(done.report!.duplicates).toEqual([
      expect.objectContaining({
        row: 2,
        name: 'Janbolat Jumabekov',
        personId: existing.id,
        matchedName: 'Zhanbolat Zhumabekov',
      }),
      expect.objectContaining({ row: 5, name: 'Erlan Kaliev', personId: null, duplicateOfRow: 4 }),
    ]);
    expect(done.report!.created.persons).toBe(2);
    const after = await counts();
    expect(after.persons).toBe(before.persons + 2);
    expect(after.custody).toBe(before.custody);

    // Confirmed: the row is that person (person_id), or a different one (new_person).
    const confirmed = csv(
      [
        {
          person_id: existing.id,
          name: 'Janbolat Jumabekov',
          birth_year: '1979',
          custody_status: 'arrested',
          custody_since: '2024',
        },
        { new_person: 'yes', name: 'Erlan Kaliev', birth_year: '1985' },
      ],
      ['person_id', 'new_person', 'name', 'birth_year', 'custody_status', 'custody_since'],
    );
    const second = await importFile(t.editor, confirmed, 'duplicates-confirmed.csv');
    expect(second.report).toMatchObject({
      duplicateCount: 0,
      created: { persons: 1, custodyEvents: 1 },
      updated: { persons: 1 },
    });
    const file = (await t.editor.get(`/api/v1/persons/${existing.id}`).expect(200)).body;
    expect(file.displayName).toBe('Janbolat Jumabekov');
    expect(file.names.map((n: { value: string }) => n.value)).toEqual(
      expect.arrayContaining(['Zhanbolat Zhumabekov', 'Жанболат Жумабеков', 'Janbolat Jumabekov']),
    );
    expect(file.currentCustody.status).toBe('arrested');
  });

  it('finds the probable duplicate of a common name among many persons of other years of birth', async () => {
    const namesake = (year: number) =>
      createPerson(t, {
        names: [{ value: 'Marat Tokhtarov', script: 'Latn', preferred: true }],
        birthDate: { date: String(year), precision: 'year' },
        country: 'KZ',
      });
    // Recorded first, so they rank before the one born in the row's year.
    for (let year = 1960; year < 1968; year += 1) await namesake(year);
    const same = await namesake(1990);
    const done = await importFile(t.editor, csv([{ name: 'Марат Тохтаров', birth_year: '1990' }]), 'namesakes.csv');
    expect(done.status).toBe('done');
    expect(done.report!.duplicates).toEqual([expect.objectContaining({ row: 2, personId: same.id })]);
    expect(done.report!.created.persons).toBe(0);
  });

  it('stores the articles of the charges, so that the article filter finds imported persons', async () => {
    const article = `Art. 274 part 4 CC RK (${process.pid})`;
    const rows = [
      {
        external_id: 'kz-articles-1',
        name: 'Duman Mukhammedkarim',
        case_title: 'Prosecution of Duman Mukhammedkarim',
        stage: 'trial',
        charges: 'spreading knowingly false information; financing extremism',
        charge_articles: `${article};`,
      },
    ];
    const done = await importFile(
      t.editor,
      csv(rows, ['external_id', 'name', 'case_title', 'stage', 'charges', 'charge_articles']),
      'articles.csv',
    );
    expect(done.status).toBe('done');
    const person = await personByExternalId('kz-articles-1');
    const found = await t.editor.get('/api/v1/persons').query({ article }).expect(200);
    expect((found.body as { items: Array<{ id: string }> }).items.map((p) => p.id)).toEqual([person!.id]);
    const file = (await t.editor.get(`/api/v1/persons/${person!.id}`).expect(200)).body as {
      cases: Array<{ charges: Array<{ article: string | null; description: string }> }>;
    };
    expect(file.cases[0]!.charges.map((c) => [c.article, c.description])).toEqual([
      [article, 'spreading knowingly false information'],
      [null, 'financing extremism'],
    ]);
  });

  it('imports an XLSX workbook built with exceljs, with text, number and date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Prisoners');
    sheet.addRow([
      'External ID',
      'Name',
      'Name Cyrillic',
      'Birth year',
      'Custody status',
      'Custody since',
      'Case title',
      'Stage',
      'Next hearing at',
      'Hearing time zone',
    ]);
    sheet.addRow([
      'kz-xlsx-1',
      'Makhambet Abzhan',
      'Махамбет Абжан',
      1986,
      'pretrial-detention',
      '2023-03',
      'Abzhan case',
      'trial',
      new Date(Date.UTC(nextYear, 4, 20, 11, 30)),
      'Asia/Almaty',
    ]);
    sheet.addRow([]);
    sheet.addRow([
      'kz-xlsx-2',
      'Нурлан Ахметов',
      null,
      null,
      'arrested',
      new Date(Date.UTC(2022, 0, 6)),
      null,
      null,
      null,
      null,
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const done = await importFile(t.editor, file, 'Заключённые.xlsx');
    expect(done.format).toBe('xlsx');
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({
      rows: 2,
      created: { persons: 2, custodyEvents: 2, cases: 1, hearings: 1 },
      errorCount: 0,
    });
    const abzhan = (await t.editor.get(`/api/v1/persons/${(await personByExternalId('kz-xlsx-1'))!.id}`).expect(200))
      .body;
    expect(abzhan.birthDate).toEqual({ date: '1986', precision: 'year' });
    expect(abzhan.cases[0].nextHearing.localStartsAt).toBe(`${nextYear}-05-20T11:30:00+05:00`);
    const akhmetov = (await t.editor.get(`/api/v1/persons/${(await personByExternalId('kz-xlsx-2'))!.id}`).expect(200))
      .body;
    expect(akhmetov.currentCustody.since).toEqual({ date: '2022-01-06', precision: 'day' });
    const [summary] = await t.dataSource.query(`SELECT file_name FROM imports WHERE id = $1`, [done.id]);
    expect(summary.file_name).toBe('Заключённые.xlsx');
  });

  it('reads a semicolon CSV after a blank line, and drops empty charges with their articles', async () => {
    // A blank first line, as some exports begin; lists with a trailing `;` in quoted cells.
    const file = Buffer.from(
      '\r\nname;external_id;case_title;stage;charges;charge_articles\r\n' +
        'Blank Lead;csv-3;Blank Lead case;trial;"Charge A;Charge B;";"Art. 1;Art. 2;"\r\n',
      'utf8',
    );
    const done = await importFile(t.editor, file, 'blank-lead.csv');
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({ rows: 1, created: { persons: 1, cases: 1 }, errorCount: 0 });
    const person = await personByExternalId('csv-3');
    const body = (await t.editor.get(`/api/v1/persons/${person!.id}`).expect(200)).body as {
      displayName: string;
      cases: Array<{ charges: Array<{ article: string | null; description: string }> }>;
    };
    expect(body.displayName).toBe('Blank Lead');
    expect(body.cases[0]!.charges.map((c) => [c.description, c.article])).toEqual([
      ['Charge A', 'Art. 1'],
      ['Charge B', 'Art. 2'],
    ]);
  });

  it('reads XLSX dates computed by formulas, and month-year or year formats as partial dates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Prisoners');
    sheet.addRow([
      'external_id',
      'name',
      'birth_year',
      'custody_status',
      'custody_since',
      'case_title',
      'stage',
      'next_hearing_at',
      'hearing_time_zone',
    ]);
    const serial = (date: Date) => 25569 + date.getTime() / 86_400_000;
    const row = sheet.addRow([
      'kz-xlsx-formula-1',
      'Formula Datov',
      new Date(Date.UTC(1986, 0, 1)),
      'arrested',
      new Date(Date.UTC(2022, 2, 1)),
      'Formula case',
      'trial',
      { formula: `DATE(${nextYear},6,10)+TIME(10,0,0)`, result: serial(new Date(Date.UTC(nextYear, 5, 10, 10))) },
      'Asia/Almaty',
    ]);
    row.getCell(3).numFmt = 'yyyy';
    row.getCell(5).numFmt = 'mmm yyyy';
    row.getCell(8).numFmt = 'dd.mm.yyyy hh:mm';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const done = await importFile(t.editor, file, 'formulas.xlsx');
    expect(done.report!.errors).toEqual([]);
    expect(done.status).toBe('done');
    const person = await personByExternalId('kz-xlsx-formula-1');
    const body = (await t.editor.get(`/api/v1/persons/${person!.id}`).expect(200)).body;
    expect(body.birthDate).toEqual({ date: '1986', precision: 'year' });
    expect(body.currentCustody.since).toEqual({ date: '2022-03', precision: 'month' });
    expect(body.cases[0].nextHearing.localStartsAt).toBe(`${nextYear}-06-10T10:00:00+05:00`);
  });

  describe('rows of one file about the same person or case', () => {
    const FLIP_HEADER = [
      'external_id',
      'name',
      'other_names',
      'case_title',
      'stage',
      'court',
      'country',
      'occupations',
    ];
    const FLIP = [
      {
        external_id: 'flip-1',
        name: 'Aidos Flipov',
        case_title: 'Flip case',
        stage: 'investigation',
        court: 'Court A',
        country: 'KZ',
      },
      {
        external_id: 'flip-1',
        name: 'Айдос Флипов',
        case_title: 'Flip case',
        stage: 'trial',
        court: 'Court B',
        country: 'KG',
      },
    ];
    const conflicts = [
      { row: 3, column: 'stage', message: expect.stringContaining('differs from row 2 about the same case') },
      { row: 3, column: 'court', message: expect.stringContaining('differs from row 2 about the same case') },
      { row: 3, column: 'country', message: expect.stringContaining('differs from row 2 about the same person') },
    ];
    const sorted = <T extends { column: string }>(errors: T[]) =>
      [...errors].sort((a, b) => a.column.localeCompare(b.column));

    it('report the values they give differently as problems of the later row, in a dry run as in a real one', async () => {
      const before = await counts();
      const dry = await importFile(t.editor, csv(FLIP, FLIP_HEADER), 'flip.csv', { dryRun: 'true' });
      expect(dry.status).toBe('done');
      expect(sorted(dry.report!.errors)).toEqual(sorted(conflicts));
      expect(dry.report).toMatchObject({ imported: 1, invalidRows: 1, created: { persons: 1, cases: 1 } });
      const failed = await importFile(t.editor, csv(FLIP, FLIP_HEADER), 'flip.csv');
      expect(failed.status).toBe('failed');
      expect(sorted(failed.report!.errors)).toEqual(sorted(conflicts));
      expect(await counts()).toEqual(before);
    });

    it('skipped with skip-invalid: importing the same file again writes nothing', async () => {
      const first = await importFile(t.editor, csv(FLIP, FLIP_HEADER), 'flip.csv', { mode: 'skip-invalid' });
      expect(first.report).toMatchObject({ imported: 1, invalidRows: 1, created: { persons: 1, cases: 1 } });
      const person = await personByExternalId('flip-1');
      const before = await counts();
      const again = await importFile(t.editor, csv(FLIP, FLIP_HEADER), 'flip.csv', { mode: 'skip-invalid' });
      expect(again.report).toMatchObject({
        imported: 1,
        unchanged: 1,
        invalidRows: 1,
        created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 },
        updated: { persons: 0, cases: 0 },
      });
      expect(await counts()).toEqual(before);
      expect(await personByExternalId('flip-1')).toEqual(person);
      const body = (await t.editor.get(`/api/v1/persons/${person!.id}`).expect(200)).body;
      expect(body).toMatchObject({ displayName: 'Aidos Flipov', country: 'KZ' });
      const cases = await t.dataSource.query<Array<{ stage: string; court: string; version: number }>>(
        `SELECT c.stage, c.court, c.version FROM cases c JOIN case_participants p ON p.case_id = c.id
          WHERE p.person_id = $1`,
        [person!.id],
      );
      expect(cases).toEqual([{ stage: 'investigation', court: 'Court A', version: 1 }]);
    });

    it('combine: the first row gives the preferred name, the others add spellings, empty cells agree', async () => {
      const rows = [
        { external_id: 'flip-2', name: 'Nurlan Combinov', case_title: 'Combined case', stage: 'trial', country: 'KZ' },
        {
          external_id: 'flip-2',
          name: 'Нурлан Комбинов',
          other_names: 'N. Combinov',
          case_title: 'Second case',
          stage: 'investigation',
          occupations: 'journalist',
        },
        {
          external_id: 'flip-2',
          name: 'Nurlan Kombinov',
          case_title: 'combined case',
          stage: 'trial',
          court: 'Court C',
          country: 'KZ',
          occupations: 'blogger',
        },
      ];
      const done = await importFile(t.editor, csv(rows, FLIP_HEADER), 'combined.csv');
      expect(done.status).toBe('done');
      expect(done.report).toMatchObject({ imported: 3, errorCount: 0, created: { persons: 1, cases: 2 } });
      const person = await personByExternalId('flip-2');
      const body = (await t.editor.get(`/api/v1/persons/${person!.id}`).expect(200)).body;
      expect(body.displayName).toBe('Nurlan Combinov');
      expect(body.names.map((n: { value: string; preferred: boolean }) => [n.value, n.preferred])).toEqual([
        ['Nurlan Combinov', true],
        ['Нурлан Комбинов', false],
        ['N. Combinov', false],
        ['Nurlan Kombinov', false],
      ]);
      expect(body.occupations).toEqual(['journalist', 'blogger']);
      const before = await counts();
      const again = await importFile(t.editor, csv(rows, FLIP_HEADER), 'combined.csv');
      expect(again.report).toMatchObject({
        imported: 3,
        unchanged: 3,
        created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 },
        updated: { persons: 0, cases: 0 },
      });
      expect(await counts()).toEqual(before);
      expect(await personByExternalId('flip-2')).toEqual(person);
    });
  });

  describe('followers of a mass event', () => {
    const EVENT_HEADER = [
      'external_id',
      'name',
      'case_title',
      'stage',
      'event',
      'next_hearing_at',
      'hearing_time_zone',
    ];
    let counter = 0;

    async function followedEvent(name: string) {
      const event = await createEvent(t, { names: [name] });
      const advocate = await t.editor
        .post('/api/v1/advocates')
        .send({ name: 'Event Follower', email: `follower-${process.pid}-${++counter}@example.org`, timeZone: 'UTC' })
        .expect(201);
      const subscription = await t.editor
        .post('/api/v1/subscriptions')
        .send({ advocateId: advocate.body.id, eventId: event.id, leadTimes: ['P1D'] })
        .expect(201);
      return { event, subscriptionId: subscription.body.id as string };
    }

    const remindersOf = (subscriptionId: string) =>
      t.dataSource.query<Array<{ kind: string; status: string; hearing_id: string; dedupe_key: string }>>(
        `SELECT kind, status, hearing_id, dedupe_key FROM reminders WHERE subscription_id = $1 ORDER BY kind, dedupe_key`,
        [subscriptionId],
      );

    const hearingOf = async (externalId: string, title: string) => {
      const [row] = await t.dataSource.query<Array<{ id: string }>>(
        `SELECT h.id FROM hearings h JOIN cases c ON c.id = h.case_id
           JOIN case_participants p ON p.case_id = c.id JOIN persons x ON x.id = p.person_id
          WHERE x.external_id = $1 AND c.title = $2`,
        [externalId, title],
      );
      return row!.id;
    };

    it('get reminders and a notice for the hearings of new cases and persons an import adds to it', async () => {
      const { event, subscriptionId } = await followedEvent(`Followed unrest ${process.pid}`);
      const unfollowed = await createEvent(t, { names: [`Unfollowed unrest ${process.pid}`] });
      const hearingAt = `${nextYear}-06-10T10:00`;
      const rows = [
        {
          external_id: 'kz-follow-1',
          name: 'Followed Eventov',
          case_title: 'Followed case',
          stage: 'trial',
          event: event.id,
          next_hearing_at: hearingAt,
          hearing_time_zone: 'Asia/Almaty',
        },
        // The event given by a later row of the file, to the case an earlier one created.
        {
          external_id: 'kz-follow-2',
          name: 'Later Eventov',
          case_title: 'Later case',
          stage: 'trial',
          next_hearing_at: hearingAt,
          hearing_time_zone: 'Asia/Almaty',
        },
        {
          external_id: 'kz-follow-2',
          name: 'Later Eventov',
          case_title: 'Later case',
          stage: 'trial',
          event: event.id,
        },
        {
          external_id: 'kz-follow-3',
          name: 'Unfollowed Eventov',
          case_title: 'Unfollowed case',
          stage: 'trial',
          event: unfollowed.id,
          next_hearing_at: hearingAt,
          hearing_time_zone: 'Asia/Almaty',
        },
      ];
      const done = await importFile(t.editor, csv(rows, EVENT_HEADER), 'followed.csv');
      expect(done.status).toBe('done');
      expect(done.report).toMatchObject({ created: { persons: 3, cases: 3, hearings: 3 }, errorCount: 0 });
      const followed = await hearingOf('kz-follow-1', 'Followed case');
      const later = await hearingOf('kz-follow-2', 'Later case');
      const found = await remindersOf(subscriptionId);
      // Notices are due at once, so the worker may be sending them already.
      const status = (r: { kind: string; status: string }) =>
        r.kind === 'notice' && ['sending', 'sent'].includes(r.status) ? 'scheduled' : r.status;
      expect(found.map((r) => [r.kind, status(r), r.hearing_id, r.dedupe_key.split('/')[2]])).toEqual(
        expect.arrayContaining([
          ['reminder', 'scheduled', followed, followed],
          ['notice', 'scheduled', followed, 'hearing-scheduled'],
          ['reminder', 'scheduled', later, later],
          // The later case joined the followed event (by a later row): its hearing is announced too.
          ['notice', 'scheduled', later, 'hearing-scheduled'],
        ]),
      );
      expect(found).toHaveLength(4);
      const unfollowedHearing = await hearingOf('kz-follow-3', 'Unfollowed case');
      const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM reminders WHERE hearing_id = $1',
        [unfollowedHearing],
      );
      expect(n).toBe(0);

      // The same file again plans nothing more.
      const again = await importFile(t.editor, csv(rows, EVENT_HEADER), 'followed.csv');
      expect(again.report).toMatchObject({ unchanged: 4 });
      // (Compared by key: the notices may have been sent in between.)
      const keys = (rs: Array<{ dedupe_key: string }>) => rs.map((r) => r.dedupe_key);
      expect(keys(await remindersOf(subscriptionId))).toEqual(keys(found));
    });
  });

  describe('malformed files answer 400 with the row and column, and leave nothing behind', () => {
    const refused = async (file: Buffer, fileName: string, fields: Record<string, string> = {}) => {
      const before = await count('imports');
      const res = await upload(t.editor, file, fileName, fields);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await count('imports')).toBe(before);
      expect(await noChunksLeft()).toBe(true);
      return res.body.errors as Array<Problem & { field: string }>;
    };

    it('wrong columns: unknown, repeated or missing', async () => {
      const errors = await refused(Buffer.from('full_name,birth_yaer,country,Country\nA,1980,KZ,KZ\n'), 'columns.csv');
      expect(errors).toEqual([
        expect.objectContaining({ row: 1, column: 'full_name', message: expect.stringContaining('unknown column') }),
        expect.objectContaining({ row: 1, column: 'birth_yaer' }),
        expect.objectContaining({ row: 1, column: 'country', message: 'is named twice in the header' }),
        expect.objectContaining({ row: 1, column: 'name', message: 'required column missing from the header' }),
      ]);
    });

    it('bad dates and unknown statuses, in the first rows of a real import', async () => {
      const rows = [
        { name: 'Fine Person' },
        { name: 'Bad Date', custody_status: 'arrested', custody_since: '2022-02-30' },
        { name: 'Bad Status', custody_status: 'in-prison', custody_since: '2022' },
        {
          name: 'Bad Hearing',
          case_title: 'X case',
          stage: 'trial',
          next_hearing_at: 'tomorrow',
          hearing_time_zone: 'Asia/Almaty',
        },
      ];
      const errors = await refused(csv(rows), 'rows.csv');
      expect(errors).toEqual([
        expect.objectContaining({ row: 3, column: 'custody_since', field: 'custody_since' }),
        expect.objectContaining({
          row: 4,
          column: 'custody_status',
          message: expect.stringContaining('must be one of'),
        }),
        expect.objectContaining({ row: 5, column: 'next_hearing_at' }),
      ]);
    });

    it('a broken XLSX workbook, an old XLS file, text that is not UTF-8, an empty file', async () => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('Sheet').addRow(['name']);
      const good = Buffer.from(await workbook.xlsx.writeBuffer());
      const broken = Buffer.concat([good.subarray(0, 200), Buffer.alloc(300, 0x41)]);
      expect((await refused(broken, 'broken.xlsx'))[0]).toMatchObject({
        field: 'file',
        message: expect.stringMatching(/damaged/),
      });
      const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
      expect((await refused(xls, 'old.xls'))[0]).toMatchObject({
        field: 'file',
        message: expect.stringMatching(/xls/),
      });
      const cp1251 = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc6, 0xe0, 0xed, 0xe1, 0xee, 0xeb, 0xe0, 0xf2, 0x0a]);
      expect((await refused(cp1251, 'cp1251.csv'))[0]).toMatchObject({
        field: 'file',
        message: expect.stringMatching(/UTF-8/),
      });
      expect((await refused(Buffer.alloc(0), 'empty.csv'))[0]).toMatchObject({ field: 'file' });
      expect((await refused(Buffer.from('name\n"unclosed\n'), 'quote.csv'))[0]).toMatchObject({
        field: 'file',
        row: 2,
      });
    });

    it('a cell longer than 1 MB, naming its row', async () => {
      const file = Buffer.from(`name,other_names\nShort Row,x\nLong Row,${'a'.repeat(1_100_000)}\n`);
      expect(await refused(file, 'long-cell.csv')).toEqual([
        { field: 'file', row: 3, message: expect.stringContaining('longer than 1 MB') },
      ]);
    });

    it('without a file, with unknown options, or too large (413)', async () => {
      await t.editor.post('/api/v1/imports').send({ dryRun: true }).expect(400);
      await refused(csv([{ name: 'A' }]), 'a.csv', { mode: 'sometimes' });
      const huge = Buffer.alloc(50 * 1024 * 1024 + 1, 0x61);
      const res = await upload(t.editor, huge, 'huge.csv');
      expect(res.status).toBe(413);
      expect(await noChunksLeft()).toBe(true);
    }, 60_000);

    it('but a dry run reports row problems instead (only the file and its header are refused at once)', async () => {
      const done = await importFile(
        t.editor,
        csv([{ name: 'Bad Date', custody_status: 'arrested', custody_since: '2022-02-30' }]),
        'dry.csv',
        { dryRun: 'true' },
      );
      expect(done.report!.errors).toEqual([{ row: 2, column: 'custody_since', message: expect.any(String) }]);
    });
  });

  it('is documented in OpenAPI as a multipart upload with its options, answering 202', async () => {
    const doc = (await t.editor.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const post = doc.paths['/api/v1/imports']!.post as {
      requestBody: { content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }> };
      parameters: Array<{ name: string; in: string }>;
      responses: Record<string, unknown>;
    };
    const form = post.requestBody.content['multipart/form-data']!.schema;
    expect(form.required).toEqual(['file']);
    expect(Object.keys(form.properties).sort()).toEqual(['dryRun', 'file', 'mode']);
    expect(post.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:dryRun', 'query:mode']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '413']));
    expect(doc.paths['/api/v1/imports/{id}']!.get).toBeDefined();
  });

  it('lets editors import, shows an import to its requester and admins only, and refuses viewers', async () => {
    await upload(t.viewer, csv([{ name: 'A' }]), 'a.csv').expect(403);
    const other = (await t.createUser('editor')).client;
    const res = await upload(t.editor, csv([{ name: 'Visible Only To Me' }]), 'mine.csv', { dryRun: 'true' });
    expect(res.status).toBe(202);
    await other.get(`/api/v1/imports/${res.body.id}`).expect(404);
    await t.admin.get(`/api/v1/imports/${res.body.id}`).expect(200);
    await t.editor.get(`/api/v1/imports/${randomUUID()}`).expect(404);
    await waitFinished(t.editor, res.body.id as string);
  });

  it('re-enqueues an import whose job was lost with Redis, and deletes abandoned uploads', async () => {
    const id = randomUUID();
    const file = csv([{ external_id: 'kz-lost-1', name: 'Lost Job' }]);
    await t.dataSource.query('INSERT INTO import_chunks (import_id, position, data) VALUES ($1, 0, $2)', [id, file]);
    const [editor] = await t.dataSource.query<Array<{ id: string; email: string }>>(
      `SELECT id, email FROM users WHERE role = 'editor' ORDER BY seq LIMIT 1`,
    );
    await t.dataSource.query(
      `INSERT INTO imports (id, mode, dry_run, file_name, format, byte_size, requested_by, created_at)
       VALUES ($1, 'all-or-nothing', false, 'lost.csv', 'csv', $2, $3, now() - interval '5 minutes')`,
      [id, file.length, JSON.stringify({ kind: 'user', id: editor!.id, label: editor!.email, role: 'editor' })],
    );
    const abandoned = randomUUID();
    await t.dataSource.query(
      `INSERT INTO import_chunks (import_id, position, data, created_at) VALUES ($1, 0, 'x', now() - interval '2 hours')`,
      [abandoned],
    );
    const result = await worker.get(ImportsReconciler).run();
    expect(result.requeued).toBeGreaterThanOrEqual(1);
    expect(result.filesDeleted).toBeGreaterThanOrEqual(1);
    const done = await waitFinished(t.admin, id);
    expect(done.status).toBe('done');
    expect(await personByExternalId('kz-lost-1')).toBeDefined();
    expect(await count('import_chunks')).toBe(0);
  });
});
