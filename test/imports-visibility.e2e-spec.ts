import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout } from 'node:timers/promises';
import { type AppWithWorker, startAppWithWorker } from './support/app-with-worker.js';
import { type Created, createCase, createHearing, createPerson } from './support/fixtures.js';
import type { Client, TestApp, TestUser } from './support/test-app.js';

/**
 * Imports as the requester sees the case files: a row is planned against the custody events,
 * cases and hearings the requester may see, so that a dry run tells an editor without clearance
 * nothing of restricted material (its report is the one of a row that matches nothing), while
 * admins and users granted access keep matching it.
 */

interface Problem {
  row: number;
  column: string;
  message: string;
}

interface Report {
  rows: number;
  imported: number;
  unchanged: number;
  created: { persons: number; custodyEvents: number; cases: number; hearings: number };
  updated: { persons: number; cases: number };
  duplicateCount: number;
  errors: Problem[];
  errorCount: number;
  invalidRows: number;
}

interface ImportBody {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  report: Report | null;
}

type Row = Record<string, string | undefined>;

const HEADER = [
  'external_id',
  'person_id',
  'name',
  'custody_status',
  'custody_since',
  'case_title',
  'stage',
  'next_hearing_at',
  'hearing_time_zone',
];

function csv(rows: Row[]): Buffer {
  const lines = [HEADER.join(','), ...rows.map((r) => HEADER.map((h) => r[h] ?? '').join(','))];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** An internal person with restricted material around it (as in the audit that found the leak). */
interface Seeded {
  person: Created;
  name: string;
  externalId: string;
  /** Internal, with a restricted hearing at 2031-03-15T10:00 Almaty time. */
  openCase: Created;
  /** Restricted. */
  secretCase: Created;
}

const HEARING_AT = '2031-03-15T10:00';

describe('imports and restricted material', () => {
  let app: AppWithWorker;
  let t: TestApp;
  /** Editors: with grants on I (the person and both cases) and R, and with a grant on I only. */
  let granted: TestUser;
  let personOnly: TestUser;
  let i: Seeded;
  let restricted: Created;
  let archived: Created;

  const post = async (path: string, body: object) => {
    const res = await t.admin.post(path).send(body);
    expect(res.status).toBe(201);
    return res.body as Created;
  };

  async function seed(tag: string): Promise<Seeded> {
    const name = `Ilyas Tokenov ${tag}`;
    const externalId = `EXT-${tag}`;
    const person = await createPerson(t, {
      names: [{ value: name, script: 'Latn', preferred: true }],
      externalId,
      visibility: 'internal',
    });
    await post(`/api/v1/persons/${person.id}/custody-events`, {
      status: 'disappeared',
      from: { date: '2023-05', precision: 'month' },
      visibility: 'restricted',
    });
    const openCase = await createCase(t, {
      title: 'Open case',
      stage: 'trial',
      visibility: 'internal',
      participants: [{ personId: person.id, role: 'defendant' }],
    });
    await createHearing(t, openCase.id, { startsAt: HEARING_AT, visibility: 'restricted' });
    const secretCase = await createCase(t, {
      title: 'Secret case title',
      stage: 'investigation',
      visibility: 'restricted',
      participants: [{ personId: person.id, role: 'defendant' }],
    });
    return { person, name, externalId, openCase, secretCase };
  }

  const grant = (user: TestUser, target: { personId: string } | { caseId: string }) =>
    post('/api/v1/access-grants', { userId: user.id, ...target });

  beforeAll(async () => {
    app = await startAppWithWorker('imports-visibility');
    ({ t } = app);
    i = await seed('I');
    restricted = await createPerson(t, {
      names: [{ value: 'Roza Secretova', script: 'Latn', preferred: true }],
      externalId: 'EXT-R',
      visibility: 'restricted',
    });
    archived = await createPerson(t, {
      names: [{ value: 'Arman Archivov', script: 'Latn', preferred: true }],
      externalId: 'EXT-A',
    });
    await t.admin.delete(`/api/v1/persons/${archived.id}`).set('If-Match', `"${archived.version}"`).expect(204);
    granted = await t.createUser('editor', 'Granted editor');
    await grant(granted, { personId: i.person.id });
    await grant(granted, { caseId: i.openCase.id });
    await grant(granted, { caseId: i.secretCase.id });
    await grant(granted, { personId: restricted.id });
    personOnly = await t.createUser('editor', 'Editor granted the person');
    await grant(personOnly, { personId: i.person.id });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function importRows(client: Client, rows: Row[], fields: Record<string, string> = { dryRun: 'true' }) {
    const req = client.post('/api/v1/imports');
    for (const [name, value] of Object.entries(fields)) void req.field(name, value);
    const res = await req.attach('file', csv(rows), 'visibility.csv');
    expect(res.status).toBe(202);
    for (let n = 0; n < 600; n += 1) {
      const body = (await client.get(`/api/v1/imports/${res.body.id}`).expect(200)).body as ImportBody;
      if (body.status === 'done' || body.status === 'failed') return body;
      await setTimeout(100);
    }
    throw new Error('the import did not finish');
  }

  const dryRun = async (client: Client, rows: Row[]): Promise<Report> => (await importRows(client, rows)).report!;

  const about = (s: Seeded, row: Row): Row => ({ external_id: s.externalId, name: s.name, ...row });

  /** What a dry run of one row that creates one record (and changes nothing else) reports. */
  const creates = (record: keyof Report['created']) => ({
    rows: 1,
    imported: 1,
    unchanged: 0,
    created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0, [record]: 1 },
    updated: { persons: 0, cases: 0 },
    errors: [],
    invalidRows: 0,
  });

  const unchanged = {
    rows: 1,
    imported: 1,
    unchanged: 1,
    created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 },
    updated: { persons: 0, cases: 0 },
    errors: [],
    invalidRows: 0,
  };

  it('plans a custody event beside a restricted one the requester may not see, as for any other', async () => {
    const same = about(i, { custody_status: 'disappeared', custody_since: '2023-05' });
    const other = about(i, { custody_status: 'arrested', custody_since: '2023-05' });
    // The restricted current status, from another date.
    const later = about(i, { custody_status: 'disappeared', custody_since: '2024-01' });
    expect(await dryRun(t.editor, [other])).toMatchObject(creates('custodyEvents'));
    expect(await dryRun(t.editor, [same])).toMatchObject(creates('custodyEvents'));
    expect(await dryRun(t.editor, [later])).toMatchObject(creates('custodyEvents'));
    // Admins and users granted the person compare with it, as before.
    for (const client of [t.admin, granted.client, personOnly.client]) {
      expect(await dryRun(client, [same])).toMatchObject(unchanged);
      expect(await dryRun(client, [later])).toMatchObject(unchanged);
      expect(await dryRun(client, [other])).toMatchObject(creates('custodyEvents'));
    }
  });

  it('plans a hearing at the instant of a restricted one the requester may not see, as at any other', async () => {
    const hearing = (at: string) =>
      about(i, { case_title: 'Open case', stage: 'trial', next_hearing_at: at, hearing_time_zone: 'Asia/Almaty' });
    const same = hearing(HEARING_AT);
    const other = hearing('2031-03-15T11:00');
    // A grant on the person is no grant on the case: its restricted hearings stay out of sight.
    for (const client of [t.editor, personOnly.client]) {
      expect(await dryRun(client, [other])).toMatchObject(creates('hearings'));
      expect(await dryRun(client, [same])).toMatchObject(creates('hearings'));
    }
    for (const client of [t.admin, granted.client]) {
      expect(await dryRun(client, [same])).toMatchObject(unchanged);
      expect(await dryRun(client, [other])).toMatchObject(creates('hearings'));
    }
  });

  it('treats a restricted case the requester may not see as not found: the row creates a case', async () => {
    const secret = about(i, { case_title: 'Secret case title', stage: 'investigation' });
    const other = about(i, { case_title: 'Some other title', stage: 'investigation' });
    for (const client of [t.editor, personOnly.client]) {
      expect(await dryRun(client, [other])).toMatchObject(creates('cases'));
      const report = await dryRun(client, [secret]);
      expect(report).toMatchObject(creates('cases'));
      expect(JSON.stringify(report)).not.toMatch(/may not see|secret/i);
    }
    for (const client of [t.admin, granted.client]) {
      expect(await dryRun(client, [secret])).toMatchObject(unchanged);
    }
  });

  it('answers an external id of a restricted person as of an archived one, naming neither', async () => {
    const rows = [
      { external_id: 'EXT-R', name: 'Roza Secretova' },
      { external_id: 'EXT-A', name: 'Arman Archivov' },
      // With person_id: the external id another person has.
      { person_id: i.person.id, external_id: 'EXT-R', name: i.name },
      { person_id: i.person.id, external_id: 'EXT-A', name: i.name },
    ];
    const report = await dryRun(t.editor, rows);
    expect(report.errors).toHaveLength(4);
    const messages = report.errors.map((e) => `${e.column}: ${e.message}`);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/^external_id: is already used by another record/);
    expect(messages[0]).not.toMatch(/may not see|restricted/);
    // A user granted the restricted person updates it (here: nothing to change).
    expect(await dryRun(granted.client, [rows[0]!])).toMatchObject(unchanged);
    expect(await dryRun(t.admin, [rows[0]!])).toMatchObject(unchanged);
  });

  it('writes visible records beside the restricted ones, then matches them; a title two cases have is a problem for whoever sees both', async () => {
    const j = await seed('J');
    await grant(granted, { personId: j.person.id });
    await grant(granted, { caseId: j.openCase.id });
    await grant(granted, { caseId: j.secretCase.id });
    const rows = [
      about(j, {
        custody_status: 'disappeared',
        custody_since: '2023-05',
        case_title: 'Open case',
        stage: 'trial',
        next_hearing_at: HEARING_AT,
        hearing_time_zone: 'Asia/Almaty',
      }),
      about(j, { case_title: 'Secret case title', stage: 'investigation' }),
    ];
    const done = await importRows(t.editor, rows, {});
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({
      imported: 2,
      created: { persons: 0, custodyEvents: 1, cases: 1, hearings: 1 },
      updated: { persons: 0, cases: 0 },
      errors: [],
    });
    const stored = await t.dataSource.query<Array<{ kind: string; visibility: string; version: number }>>(
      `SELECT 'custody' AS kind, visibility, version FROM custody_events WHERE person_id = $1
       UNION ALL SELECT 'hearing', visibility, version FROM hearings WHERE case_id = $2
       UNION ALL SELECT 'case', c.visibility, c.version FROM cases c JOIN case_participants p ON p.case_id = c.id
                  WHERE p.person_id = $1 AND c.title = 'Secret case title'
       ORDER BY 1, 2`,
      [j.person.id, j.openCase.id],
    );
    // The restricted records are untouched; the new ones are internal.
    expect(stored).toEqual([
      { kind: 'case', visibility: 'internal', version: 1 },
      { kind: 'case', visibility: 'restricted', version: 1 },
      { kind: 'custody', visibility: 'internal', version: 1 },
      { kind: 'custody', visibility: 'restricted', version: 1 },
      { kind: 'hearing', visibility: 'internal', version: 1 },
      { kind: 'hearing', visibility: 'restricted', version: 1 },
    ]);
    // Importing the file again, the editor finds what they wrote: nothing changes.
    const again = await importRows(t.editor, rows, {});
    expect(again.report).toMatchObject({
      imported: 2,
      unchanged: 2,
      created: { persons: 0, custodyEvents: 0, cases: 0, hearings: 0 },
      updated: { persons: 0, cases: 0 },
      errors: [],
    });
    // Whoever sees both cases of that title cannot tell which one the row means.
    for (const client of [t.admin, granted.client]) {
      const report = await dryRun(client, rows);
      expect(report.errors).toEqual([
        {
          row: 3,
          column: 'case_title',
          message: expect.stringMatching(/^is the title of several cases of this person/),
        },
      ]);
      expect(report).toMatchObject({ imported: 1, unchanged: 1 });
    }
  });
});
