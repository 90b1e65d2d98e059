import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type request from 'supertest';
import { PROBLEM_TYPES } from '../apps/api/src/http/problem-details.js';
import {
  auditEntriesWithReason,
  createCase,
  createHearing,
  createPerson,
  createSource,
  personBody,
  UNKNOWN_ID,
} from './support/fixtures.js';
import { type Client, clientFor, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

/**
 * Restricted material: seen by admins, and by users granted access to its person or case;
 * answered like a record that does not exist for everyone else (API keys included), and left
 * out of every list and every nested view.
 */

interface CustodyItem {
  id: string;
  sourceIds: string[];
}
interface NextHearing {
  id: string;
  postponedToId: string | null;
}
interface PersonFile {
  id: string;
  version: number;
  contactDetails: string | null;
  restrictedAccess: boolean;
  sourceIds: string[];
  currentCustody: { eventId: string; status: string } | null;
  custodyHistory: CustodyItem[];
  cases: Array<{ id: string; nextHearing: NextHearing | null }>;
}
interface CaseRecord {
  id: string;
  participants: Array<{ personId: string }>;
  nextHearing: NextHearing | null;
  sourceIds: string[];
}

const CONTACT = 'Wife: +7 700 000 0000 (via the lawyer only)';

interface FieldError {
  field: string;
  message: string;
}
const byField = (errors: FieldError[]) => [...errors].sort((a, b) => a.field.localeCompare(b.field));

describe('visibility of restricted material', () => {
  let t: TestApp;
  /** Readers without any clearance: a viewer, an editor and both kinds of API key. */
  let readers: Array<[string, Client]>;

  // Public and internal records, and the restricted material hanging off them.
  const id = {} as Record<
    | 'source'
    | 'restrictedSource'
    | 'person'
    | 'restrictedPerson'
    | 'case'
    | 'restrictedCase'
    | 'event'
    | 'restrictedEvent'
    | 'eventOfRestrictedPerson'
    | 'hearing'
    | 'restrictedHearing'
    | 'hearingOfRestrictedCase'
    | 'note'
    | 'restrictedNote'
    | 'caseNote'
    | 'restrictedCaseNote'
    | 'noteOfRestrictedPerson',
    string
  >;

  async function post(path: string, body: object): Promise<string> {
    const res = await t.admin.post(path).send(body).expect(201);
    return (res.body as { id: string }).id;
  }

  /** Every item of a list, walking all its pages, as `client` sees it. */
  async function listItems<T extends { id: string }>(
    client: Client,
    path: string,
    query: Record<string, string> = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const res = await client
        .get(path)
        .query({ ...query, limit: 100, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: T[]; nextCursor: string | null };
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  async function listIds(client: Client, path: string, query: Record<string, string> = {}): Promise<string[]> {
    return (await listItems(client, path, query)).map((item) => item.id);
  }

  async function personFile(client: Client, personId = id.person): Promise<PersonFile> {
    return (await client.get(`/api/v1/persons/${personId}`).expect(200)).body as PersonFile;
  }

  async function caseRecord(client: Client, caseId = id.case): Promise<CaseRecord> {
    return (await client.get(`/api/v1/cases/${caseId}`).expect(200)).body as CaseRecord;
  }

  async function grant(user: TestUser, target: { personId: string } | { caseId: string }): Promise<string> {
    return post('/api/v1/access-grants', { userId: user.id, ...target });
  }

  async function withdraw(grantId: string): Promise<void> {
    await t.admin.delete(`/api/v1/access-grants/${grantId}`).expect(204);
  }

  /** PATCHes `path` as `client`, naming the version that client reads. */
  async function patchAs(client: Client, path: string, body: object) {
    const etag = (await client.get(path).expect(200)).headers.etag as string;
    return client.patch(path).set('If-Match', etag).send(body);
  }

  /**
   * The kinds of record that cite sources: where one is created (a custody event under a person
   * of its own), with what, where it then lives, and what each of its changes must carry.
   */
  interface CitingKind {
    kind: string;
    collection: () => Promise<string>;
    body: Record<string, unknown>;
    base: string;
    change?: Record<string, unknown>;
  }
  const citingKinds: CitingKind[] = [
    { kind: 'person', collection: async () => '/api/v1/persons', body: personBody(' Cited'), base: '/api/v1/persons' },
    {
      kind: 'case',
      collection: async () => '/api/v1/cases',
      body: { title: 'Cited case', stage: 'trial' },
      base: '/api/v1/cases',
    },
    {
      kind: 'custody event',
      collection: async () => `/api/v1/persons/${(await createPerson(t, personBody(' In custody'))).id}/custody-events`,
      body: { status: 'arrested', from: { date: '2024-05-01', precision: 'day' } },
      base: '/api/v1/custody-events',
      // A correction of custody history needs a reason.
      change: { reason: 'sources corrected' },
    },
    {
      kind: 'mass event',
      collection: async () => '/api/v1/events',
      body: { names: ['Cited unrest'], country: 'KZ' },
      base: '/api/v1/events',
    },
  ];

  /** A record of `kind` made by the admin citing `sourceIds`; its path. */
  async function citing(kind: CitingKind, sourceIds: string[]): Promise<string> {
    return `${kind.base}/${await post(await kind.collection(), { ...kind.body, sourceIds })}`;
  }

  async function sourceIdsOf(client: Client, path: string): Promise<string[]> {
    return ((await client.get(path).expect(200)).body as { sourceIds: string[] }).sourceIds.sort();
  }

  /** The single records that need clearance, with what an unknown id of the same kind answers. */
  function restrictedRecords(): Array<[string, string]> {
    return [
      [`/api/v1/persons/${id.restrictedPerson}`, 'persons'],
      [`/api/v1/cases/${id.restrictedCase}`, 'cases'],
      [`/api/v1/custody-events/${id.restrictedEvent}`, 'custody-events'],
      [`/api/v1/custody-events/${id.eventOfRestrictedPerson}`, 'custody-events'],
      [`/api/v1/hearings/${id.restrictedHearing}`, 'hearings'],
      [`/api/v1/hearings/${id.hearingOfRestrictedCase}`, 'hearings'],
      [`/api/v1/notes/${id.restrictedNote}`, 'notes'],
      [`/api/v1/notes/${id.restrictedCaseNote}`, 'notes'],
      [`/api/v1/notes/${id.noteOfRestrictedPerson}`, 'notes'],
      [`/api/v1/sources/${id.restrictedSource}`, 'sources'],
    ];
  }

  /** Asserts `client` gets the same 404 for `path` as for an unknown id of the same kind. */
  async function expectHidden(client: Client, path: string, resource: string): Promise<void> {
    const res = await client.get(path);
    const unknown = await client.get(`/api/v1/${resource}/${UNKNOWN_ID}`);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.body as { type: string; title: string; detail: string };
    const expected = unknown.body as { type: string; title: string; detail: string };
    expect(body.type).toBe(PROBLEM_TYPES.notFound);
    expect(body.title).toBe(expected.title);
    expect(body.detail).toBe(expected.detail.replace(UNKNOWN_ID, path.split('/')[4]!));
  }

  beforeAll(async () => {
    t = await createTestApp();
    const keys: Array<[string, Client]> = [];
    for (const scope of ['read-only', 'read-write']) {
      const res = await t.admin
        .post('/api/v1/api-keys')
        .send({ name: `Visibility ${scope}`, scope })
        .expect(201);
      keys.push([`${scope} API key`, clientFor(t.http, (res.body as { key: string }).key)]);
    }
    readers = [['viewer', t.viewer], ['editor', t.editor], ...keys];

    id.source = (await createSource(t, { title: 'Public court record' })).id;
    id.restrictedSource = (await createSource(t, { title: 'Confidential informant', visibility: 'restricted' })).id;
    id.person = (
      await createPerson(
        t,
        personBody(' Visible', { contactDetails: CONTACT, sourceIds: [id.source, id.restrictedSource] }),
      )
    ).id;
    id.restrictedPerson = (await createPerson(t, personBody(' Hidden', { visibility: 'restricted' }))).id;
    id.case = (
      await createCase(t, {
        title: 'Visible case',
        stage: 'trial',
        participants: [
          { personId: id.person, role: 'defendant' },
          { personId: id.restrictedPerson, role: 'defendant' },
        ],
        sourceIds: [id.source, id.restrictedSource],
      })
    ).id;
    id.restrictedCase = (
      await createCase(t, {
        title: 'Hidden case',
        stage: 'investigation',
        visibility: 'restricted',
        participants: [{ personId: id.person, role: 'witness' }],
      })
    ).id;

    const custody = (personId: string) => `/api/v1/persons/${personId}/custody-events`;
    id.event = await post(custody(id.person), {
      status: 'arrested',
      from: { date: '2022-01-06', precision: 'day' },
      sourceIds: [id.source, id.restrictedSource],
    });
    // Later than the internal event: it would be the current custody for those who may see it.
    id.restrictedEvent = await post(custody(id.person), {
      status: 'imprisoned',
      from: { date: '2023-02-01', precision: 'day' },
      facility: 'Colony No. 3',
      visibility: 'restricted',
    });
    id.eventOfRestrictedPerson = await post(custody(id.restrictedPerson), {
      status: 'pretrial-detention',
      from: { date: '2022-02', precision: 'month' },
    });

    id.hearing = (await createHearing(t, id.case, { startsAt: '2031-06-01T10:00' })).id;
    // Earlier than the internal hearing: it would be the next hearing for those who may see it.
    id.restrictedHearing = (
      await createHearing(t, id.case, { startsAt: '2030-06-01T10:00', visibility: 'restricted' })
    ).id;
    id.hearingOfRestrictedCase = (await createHearing(t, id.restrictedCase, { startsAt: '2030-01-01T10:00' })).id;

    id.note = await post(`/api/v1/persons/${id.person}/notes`, { body: 'Family visited on Monday.' });
    id.restrictedNote = await post(`/api/v1/persons/${id.person}/notes`, {
      body: 'Moved for his safety.',
      visibility: 'restricted',
    });
    id.caseNote = await post(`/api/v1/cases/${id.case}/notes`, { body: 'Observers admitted.' });
    id.restrictedCaseNote = await post(`/api/v1/cases/${id.case}/notes`, {
      body: 'Witness under protection.',
      visibility: 'restricted',
    });
    id.noteOfRestrictedPerson = await post(`/api/v1/persons/${id.restrictedPerson}/notes`, { body: 'Internal.' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('shows an admin every restricted record, the contact details and the restricted sources', async () => {
    expect(await listIds(t.admin, '/api/v1/cases', { personId: id.restrictedPerson })).toEqual([id.case]);
    for (const [path] of restrictedRecords()) await t.admin.get(path).expect(200);

    const person = await personFile(t.admin);
    expect(person).toMatchObject({ contactDetails: CONTACT, restrictedAccess: true });
    expect(person.sourceIds.sort()).toEqual([id.source, id.restrictedSource].sort());
    expect(person.custodyHistory.map((e) => e.id)).toEqual([id.event, id.restrictedEvent]);
    expect(person.currentCustody).toMatchObject({ eventId: id.restrictedEvent, status: 'imprisoned' });
    expect(person.cases.map((c) => c.id).sort()).toEqual([id.case, id.restrictedCase].sort());
    expect(person.cases.find((c) => c.id === id.case)!.nextHearing?.id).toBe(id.restrictedHearing);

    const kase = await caseRecord(t.admin);
    expect(kase.participants.map((p) => p.personId)).toEqual([id.person, id.restrictedPerson]);
    expect(kase.nextHearing?.id).toBe(id.restrictedHearing);
    expect(kase.sourceIds.sort()).toEqual([id.source, id.restrictedSource].sort());
  });

  it('answers 404 to readers without clearance for each restricted record, as for one that does not exist', async () => {
    for (const [, client] of readers) {
      for (const [path, resource] of restrictedRecords()) {
        await expectHidden(client, path, resource);
        // Its audit trail too.
        expect({ path, status: (await client.get(`${path}/history`)).status }).toEqual({ path, status: 404 });
      }
      // The lists of a person or case one may not see.
      for (const path of [
        `/api/v1/persons/${id.restrictedPerson}/custody-events`,
        `/api/v1/persons/${id.restrictedPerson}/notes`,
        `/api/v1/cases/${id.restrictedCase}/hearings`,
        `/api/v1/cases/${id.restrictedCase}/notes`,
      ]) {
        expect({ path, status: (await client.get(path)).status }).toEqual({ path, status: 404 });
      }
    }
  });

  it('leaves restricted records out of every list for readers without clearance', async () => {
    for (const [reader, client] of readers) {
      const persons = await listIds(client, '/api/v1/persons');
      expect({ reader, person: persons.includes(id.person) }).toEqual({ reader, person: true });
      expect({ reader, restricted: persons.includes(id.restrictedPerson) }).toEqual({ reader, restricted: false });
      expect(await listIds(client, '/api/v1/persons', { visibility: 'restricted' })).not.toContain(id.restrictedPerson);

      const cases = await listIds(client, '/api/v1/cases');
      expect(cases).toContain(id.case);
      expect(cases).not.toContain(id.restrictedCase);
      expect(await listIds(client, '/api/v1/cases', { personId: id.person })).toEqual([id.case]);
      // Filtering by a restricted person does not tell which cases they take part in.
      expect(await listIds(client, '/api/v1/cases', { personId: id.restrictedPerson })).toEqual([]);

      expect(await listIds(client, '/api/v1/hearings', { caseId: id.case })).toEqual([id.hearing]);
      expect(await listIds(client, '/api/v1/hearings', { caseId: id.restrictedCase })).toEqual([]);
      const window = await listIds(client, '/api/v1/hearings', {
        from: '2030-01-01T00:00:00Z',
        to: '2031-12-31T00:00:00Z',
      });
      expect(window).toContain(id.hearing);
      expect(window).not.toContain(id.restrictedHearing);
      expect(window).not.toContain(id.hearingOfRestrictedCase);
      expect(await listIds(client, `/api/v1/cases/${id.case}/hearings`)).toEqual([id.hearing]);

      expect(await listIds(client, `/api/v1/persons/${id.person}/custody-events`)).toEqual([id.event]);
      expect(await listIds(client, `/api/v1/persons/${id.person}/notes`)).toEqual([id.note]);
      expect(await listIds(client, `/api/v1/cases/${id.case}/notes`)).toEqual([id.caseNote]);

      const sources = await listIds(client, '/api/v1/sources');
      expect(sources).toContain(id.source);
      expect(sources).not.toContain(id.restrictedSource);
    }
  });

  it('derives nested views only from what the reader may see (custody, cases, participants, hearings, sources)', async () => {
    for (const [reader, client] of readers) {
      const person = await personFile(client);
      expect({ reader, contactDetails: person.contactDetails, restrictedAccess: person.restrictedAccess }).toEqual({
        reader,
        contactDetails: null,
        restrictedAccess: false,
      });
      expect(person.sourceIds).toEqual([id.source]);
      expect(person.custodyHistory.map((e) => e.id)).toEqual([id.event]);
      expect({ reader, sourceIds: person.custodyHistory[0]!.sourceIds }).toEqual({ reader, sourceIds: [id.source] });
      expect(person.currentCustody).toMatchObject({ eventId: id.event, status: 'arrested' });
      expect(person.cases.map((c) => c.id)).toEqual([id.case]);
      expect(person.cases[0]!.nextHearing?.id).toBe(id.hearing);

      // The summary in the list derives current custody the same way.
      const summaries = await listItems<{ id: string; currentCustody: { eventId: string } | null }>(
        client,
        '/api/v1/persons',
      );
      const summary = summaries.find((p) => p.id === id.person)!;
      expect(summary.currentCustody?.eventId).toBe(id.event);
      expect(summary).not.toHaveProperty('contactDetails');

      const event = (await client.get(`/api/v1/custody-events/${id.event}`).expect(200)).body as CustodyItem;
      expect(event.sourceIds).toEqual([id.source]);
      const events = (await client.get(`/api/v1/persons/${id.person}/custody-events`).expect(200)).body as {
        items: CustodyItem[];
      };
      expect(events.items[0]!.sourceIds).toEqual([id.source]);

      const kase = await caseRecord(client);
      expect(kase.participants.map((p) => p.personId)).toEqual([id.person]);
      expect(kase.nextHearing?.id).toBe(id.hearing);
      expect(kase.sourceIds).toEqual([id.source]);
    }
  });

  it('leaves restricted sources out of the sources of mass events for non-admins', async () => {
    const event = await post('/api/v1/events', {
      names: ['Visibility unrest'],
      country: 'KZ',
      sourceIds: [id.source, id.restrictedSource],
    });
    const adminView = (await t.admin.get(`/api/v1/events/${event}`).expect(200)).body as { sourceIds: string[] };
    expect(adminView.sourceIds.sort()).toEqual([id.source, id.restrictedSource].sort());
    for (const [reader, client] of readers) {
      const one = (await client.get(`/api/v1/events/${event}`).expect(200)).body as { sourceIds: string[] };
      expect({ reader, sourceIds: one.sourceIds }).toEqual({ reader, sourceIds: [id.source] });
      const listed = (await listItems<{ id: string; sourceIds: string[] }>(client, '/api/v1/events')).find(
        (e) => e.id === event,
      );
      expect({ reader, sourceIds: listed?.sourceIds }).toEqual({ reader, sourceIds: [id.source] });
    }
  });

  it("opens a person's restricted material to a user granted that person, until the grant is withdrawn", async () => {
    const user = await t.createUser('viewer', 'Granted on a person');
    const granted = await grant(user, { personId: id.person });
    const grants = await t.admin.get('/api/v1/access-grants').query({ userId: user.id }).expect(200);
    expect((grants.body as { items: Array<{ id: string; personId: string }> }).items).toEqual([
      expect.objectContaining({ id: granted, personId: id.person, caseId: null }),
    ]);

    const person = await personFile(user.client);
    expect(person).toMatchObject({ contactDetails: CONTACT, restrictedAccess: true });
    expect(person.custodyHistory.map((e) => e.id)).toEqual([id.event, id.restrictedEvent]);
    expect(person.currentCustody).toMatchObject({ eventId: id.restrictedEvent, status: 'imprisoned' });
    await user.client.get(`/api/v1/custody-events/${id.restrictedEvent}`).expect(200);
    await user.client.get(`/api/v1/notes/${id.restrictedNote}`).expect(200);
    expect(await listIds(user.client, `/api/v1/persons/${id.person}/custody-events`)).toEqual([
      id.event,
      id.restrictedEvent,
    ]);
    expect(await listIds(user.client, `/api/v1/persons/${id.person}/notes`)).toEqual([id.note, id.restrictedNote]);

    // A grant on the person opens neither other persons, nor its cases' restricted material,
    // nor restricted sources (those are for admins only).
    await expectHidden(user.client, `/api/v1/persons/${id.restrictedPerson}`, 'persons');
    await expectHidden(user.client, `/api/v1/cases/${id.restrictedCase}`, 'cases');
    await expectHidden(user.client, `/api/v1/hearings/${id.restrictedHearing}`, 'hearings');
    await expectHidden(user.client, `/api/v1/notes/${id.restrictedCaseNote}`, 'notes');
    await expectHidden(user.client, `/api/v1/sources/${id.restrictedSource}`, 'sources');
    expect(person.sourceIds).toEqual([id.source]);
    expect(person.custodyHistory[0]!.sourceIds).toEqual([id.source]);
    expect(person.cases.map((c) => c.id)).toEqual([id.case]);

    await withdraw(granted);
    const after = await personFile(user.client);
    expect(after).toMatchObject({ contactDetails: null, restrictedAccess: false });
    expect(after.custodyHistory.map((e) => e.id)).toEqual([id.event]);
    expect(after.currentCustody?.eventId).toBe(id.event);
    await expectHidden(user.client, `/api/v1/custody-events/${id.restrictedEvent}`, 'custody-events');
    await expectHidden(user.client, `/api/v1/notes/${id.restrictedNote}`, 'notes');
  });

  it('opens a restricted person or case, and a case’s restricted hearings and notes, to users granted them', async () => {
    const user = await t.createUser('viewer', 'Granted on cases');
    const grants = [
      await grant(user, { personId: id.restrictedPerson }),
      await grant(user, { caseId: id.restrictedCase }),
      await grant(user, { caseId: id.case }),
    ];

    const hidden = await personFile(user.client, id.restrictedPerson);
    expect(hidden.restrictedAccess).toBe(true);
    expect(hidden.custodyHistory.map((e) => e.id)).toEqual([id.eventOfRestrictedPerson]);
    expect(await listIds(user.client, '/api/v1/persons')).toContain(id.restrictedPerson);
    await user.client.get(`/api/v1/notes/${id.noteOfRestrictedPerson}`).expect(200);

    await user.client.get(`/api/v1/cases/${id.restrictedCase}`).expect(200);
    await user.client.get(`/api/v1/hearings/${id.hearingOfRestrictedCase}`).expect(200);
    await user.client.get(`/api/v1/hearings/${id.restrictedHearing}`).expect(200);
    await user.client.get(`/api/v1/notes/${id.restrictedCaseNote}`).expect(200);
    expect((await listIds(user.client, '/api/v1/cases', { personId: id.person })).sort()).toEqual(
      [id.case, id.restrictedCase].sort(),
    );
    expect(await listIds(user.client, `/api/v1/cases/${id.case}/hearings`)).toEqual([id.restrictedHearing, id.hearing]);
    expect(await listIds(user.client, `/api/v1/cases/${id.case}/notes`)).toEqual([id.caseNote, id.restrictedCaseNote]);

    const kase = await caseRecord(user.client);
    expect(kase.participants.map((p) => p.personId)).toEqual([id.person, id.restrictedPerson]);
    expect(kase.nextHearing?.id).toBe(id.restrictedHearing);
    const person = await personFile(user.client);
    expect(person.cases.map((c) => c.id).sort()).toEqual([id.case, id.restrictedCase].sort());
    // A case grant does not open the person's own restricted material.
    expect(person).toMatchObject({ contactDetails: null, restrictedAccess: false });

    for (const grantId of grants) await withdraw(grantId);
    for (const [path, resource] of restrictedRecords()) await expectHidden(user.client, path, resource);
    expect((await caseRecord(user.client)).participants.map((p) => p.personId)).toEqual([id.person]);
    expect((await caseRecord(user.client)).nextHearing?.id).toBe(id.hearing);
  });

  it('refuses (403) an editor without clearance marking anything restricted or writing contact details', async () => {
    const attempts: Array<[string, () => Promise<{ status: number }>]> = [
      [
        'create a restricted person',
        () => t.editor.post('/api/v1/persons').send(personBody(' R', { visibility: 'restricted' })),
      ],
      [
        'create a person with contact details',
        () => t.editor.post('/api/v1/persons').send(personBody(' C', { contactDetails: 'phone' })),
      ],
      [
        'write contact details',
        () => patchAs(t.editor, `/api/v1/persons/${id.person}`, { contactDetails: 'overwritten' }),
      ],
      ['clear contact details', () => patchAs(t.editor, `/api/v1/persons/${id.person}`, { contactDetails: null })],
      [
        'mark a person restricted',
        () => patchAs(t.editor, `/api/v1/persons/${id.person}`, { visibility: 'restricted' }),
      ],
      [
        'create a restricted case',
        () => t.editor.post('/api/v1/cases').send({ title: 'R', stage: 'trial', visibility: 'restricted' }),
      ],
      ['mark a case restricted', () => patchAs(t.editor, `/api/v1/cases/${id.case}`, { visibility: 'restricted' })],
      [
        'append a restricted custody event',
        () =>
          t.editor
            .post(`/api/v1/persons/${id.person}/custody-events`)
            .send({ status: 'released', from: { date: '2024-01', precision: 'month' }, visibility: 'restricted' }),
      ],
      [
        'mark a custody event restricted',
        () => patchAs(t.editor, `/api/v1/custody-events/${id.event}`, { visibility: 'restricted', reason: 'hide it' }),
      ],
      [
        'schedule a restricted hearing',
        () =>
          t.editor
            .post(`/api/v1/cases/${id.case}/hearings`)
            .send({ startsAt: '2032-01-01T10:00', timeZone: 'Asia/Almaty', visibility: 'restricted' }),
      ],
      [
        'mark a hearing restricted',
        () => patchAs(t.editor, `/api/v1/hearings/${id.hearing}`, { visibility: 'restricted' }),
      ],
      [
        'write a restricted person note',
        () => t.editor.post(`/api/v1/persons/${id.person}/notes`).send({ body: 'x', visibility: 'restricted' }),
      ],
      [
        'write a restricted case note',
        () => t.editor.post(`/api/v1/cases/${id.case}/notes`).send({ body: 'x', visibility: 'restricted' }),
      ],
      ['mark a note restricted', () => patchAs(t.editor, `/api/v1/notes/${id.note}`, { visibility: 'restricted' })],
      [
        'create a restricted source',
        () => t.editor.post('/api/v1/sources').send({ publisher: 'X', title: 'Y', visibility: 'restricted' }),
      ],
      [
        'write the contact details of a source',
        () => t.editor.post('/api/v1/sources').send({ publisher: 'X', title: 'Y', contactDetails: 'Signal' }),
      ],
    ];
    const outcomes = [];
    for (const [attempt, send] of attempts) {
      const res = (await send()) as { status: number; body: { type?: string } };
      outcomes.push({ attempt, status: res.status, type: res.body.type });
    }
    expect(outcomes).toEqual(attempts.map(([attempt]) => ({ attempt, status: 403, type: PROBLEM_TYPES.forbidden })));

    // Nothing changed.
    const person = await personFile(t.admin);
    expect(person).toMatchObject({ contactDetails: CONTACT, version: 1 });
    expect(await listIds(t.admin, `/api/v1/persons/${id.person}/notes`)).toEqual([id.note, id.restrictedNote]);
  });

  it('refuses a read-write API key marking anything restricted (403), as no grant can open it', async () => {
    const [, key] = readers.find(([reader]) => reader === 'read-write API key')!;
    const res = await key.post(`/api/v1/persons/${id.person}/notes`).send({ body: 'x', visibility: 'restricted' });
    expect(res.status).toBe(403);
    const person = await key.post('/api/v1/persons').send(personBody(' key', { contactDetails: 'phone' }));
    expect(person.status).toBe(403);
  });

  it('lets an editor granted a person write its restricted material, but not create a restricted person', async () => {
    const editor = await t.createUser('editor', 'Granted editor');
    const target = await createPerson(t, personBody(' Editable'));
    await grant(editor, { personId: target.id });

    const note = await editor.client
      .post(`/api/v1/persons/${target.id}/notes`)
      .send({ body: 'Lawyer’s number changed.', visibility: 'restricted' })
      .expect(201);
    expect(note.body).toMatchObject({ visibility: 'restricted' });
    const patched = await editor.client
      .patch(`/api/v1/persons/${target.id}`)
      .set('If-Match', '"1"')
      .send({ contactDetails: 'Brother: +7 701 000 0000' })
      .expect(200);
    expect(patched.body).toMatchObject({ contactDetails: 'Brother: +7 701 000 0000', restrictedAccess: true });
    // The viewer without a grant still does not see them.
    expect((await personFile(t.viewer, target.id)).contactDetails).toBeNull();
    await expectHidden(t.viewer, `/api/v1/notes/${(note.body as { id: string }).id}`, 'notes');

    // Nobody but an admin holds clearance on a person that does not exist yet.
    expect(
      (await editor.client.post('/api/v1/persons').send(personBody(' new', { visibility: 'restricted' }))).status,
    ).toBe(403);
    // Nor may the editor restrict another person they hold no grant on.
    const other = await editor.client
      .patch(`/api/v1/persons/${id.person}`)
      .set('If-Match', `"${(await personFile(t.admin)).version}"`)
      .send({ visibility: 'restricted' });
    expect(other.status).toBe(403);
  });

  it('answers 404, not 403, to an editor without clearance changing a restricted record', async () => {
    const changes: Array<[string, () => Promise<{ status: number }>]> = [
      [
        'PATCH a restricted person',
        () => t.editor.patch(`/api/v1/persons/${id.restrictedPerson}`).set('If-Match', '"1"').send({ occupations: [] }),
      ],
      ['archive a restricted case', () => t.editor.delete(`/api/v1/cases/${id.restrictedCase}`).set('If-Match', '"1"')],
      ['archive a restricted note', () => t.editor.delete(`/api/v1/notes/${id.restrictedNote}`).set('If-Match', '"1"')],
      ['restore a restricted hearing', () => t.editor.post(`/api/v1/hearings/${id.restrictedHearing}/restore`)],
      [
        'add a note to a restricted person',
        () => t.editor.post(`/api/v1/persons/${id.restrictedPerson}/notes`).send({ body: 'x' }),
      ],
      [
        'schedule a hearing of a restricted case',
        () =>
          t.editor
            .post(`/api/v1/cases/${id.restrictedCase}/hearings`)
            .send({ startsAt: '2032-01-01T10:00', timeZone: 'Asia/Almaty' }),
      ],
      [
        'name a restricted person as a participant',
        () =>
          t.editor
            .post('/api/v1/cases')
            .send({ title: 'x', stage: 'trial', participants: [{ personId: id.restrictedPerson, role: 'defendant' }] }),
      ],
    ];
    const outcomes = [];
    for (const [change, send] of changes) outcomes.push({ change, status: (await send()).status });
    expect(outcomes).toEqual(changes.map(([change]) => ({ change, status: change.startsWith('name') ? 400 : 404 })));
    await t.admin.get(`/api/v1/notes/${id.restrictedNote}`).expect(200);
  });

  it('keeps the restricted sources an admin cited when an editor replaces the sources of a record', async () => {
    const later = (await createSource(t, { title: 'Later court record' })).id;
    const outcomes = [];
    for (const kind of citingKinds) {
      const path = await citing(kind, [id.source, id.restrictedSource]);
      const editorSaw = await sourceIdsOf(t.editor, path);
      const replaced = await patchAs(t.editor, path, { ...kind.change, sourceIds: [later] });
      const afterReplace = { editor: await sourceIdsOf(t.editor, path), admin: await sourceIdsOf(t.admin, path) };
      const emptied = await patchAs(t.editor, path, { ...kind.change, sourceIds: [] });
      const afterEmpty = { editor: await sourceIdsOf(t.editor, path), admin: await sourceIdsOf(t.admin, path) };
      // The admin sees every source, so theirs is taken as sent.
      await patchAs(t.admin, path, { ...kind.change, sourceIds: [id.source] });
      outcomes.push({
        kind: kind.kind,
        editorSaw,
        replaced: [replaced.status, (replaced.body as { sourceIds: string[] }).sourceIds],
        afterReplace,
        emptied: emptied.status,
        afterEmpty,
        afterAdmin: await sourceIdsOf(t.admin, path),
      });
    }
    expect(outcomes).toEqual(
      citingKinds.map(({ kind }) => ({
        kind,
        editorSaw: [id.source],
        replaced: [200, [later]],
        afterReplace: { editor: [later], admin: [later, id.restrictedSource].sort() },
        emptied: 200,
        afterEmpty: { editor: [], admin: [id.restrictedSource] },
        afterAdmin: [id.source],
      })),
    );
  });

  it('answers a non-admin citing a restricted source exactly like an unknown source (400), writing nothing', async () => {
    const [, key] = readers.find(([reader]) => reader === 'read-write API key')!;
    /** The problem document, without what differs from one request to the next. */
    const problem = (res: request.Response, unknownAs = UNKNOWN_ID) => {
      const { type, title, status, detail, errors } = res.body as Record<string, unknown>;
      return JSON.parse(JSON.stringify({ type, title, status, detail, errors }).replaceAll(UNKNOWN_ID, unknownAs));
    };
    const outcomes = [];
    const expected = [];
    for (const [writer, client] of [
      ['editor', t.editor],
      ['read-write API key', key],
    ] as const) {
      for (const kind of citingKinds) {
        const collection = await kind.collection();
        const path = await citing(kind, [id.source]);
        const before = (await t.admin.get(path).expect(200)).body as object;
        const attempts: Array<[string, (sourceIds: string[], reason: string) => Promise<request.Response>]> = [
          ['create', (sourceIds, reason) => client.post(collection).send({ ...kind.body, sourceIds, reason })],
          ['patch', (sourceIds, reason) => patchAs(client, path, { ...kind.change, sourceIds, reason })],
        ];
        for (const [attempt, send] of attempts) {
          const reason = `cites what it may not ${randomUUID()}`;
          const restricted = await send([id.source, id.restrictedSource], reason);
          const unknown = await send([id.source, UNKNOWN_ID], reason);
          outcomes.push({
            writer,
            kind: kind.kind,
            attempt,
            status: restricted.status,
            problem: problem(restricted),
            sameAsUnknown: isDeepStrictEqual(problem(restricted), problem(unknown, id.restrictedSource)),
            written: await auditEntriesWithReason(t, reason),
          });
          expected.push({
            writer,
            kind: kind.kind,
            attempt,
            status: 400,
            problem: expect.objectContaining({
              type: PROBLEM_TYPES.validation,
              errors: [{ field: 'sourceIds[1]', message: `no source with id ${id.restrictedSource}` }],
            }),
            sameAsUnknown: true,
            written: 0,
          });
        }
        expect({ path, after: (await t.admin.get(path).expect(200)).body }).toEqual({ path, after: before });
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('reports every invalid reference of a non-admin in one 400, a restricted source among them', async () => {
    const person = await t.editor.post('/api/v1/persons').send(
      personBody(' Many references', {
        designations: [{ designation: 'prisoner of conscience', organizationId: UNKNOWN_ID }],
        sourceIds: [id.restrictedSource, id.source],
      }),
    );
    expect(person.status).toBe(400);
    expect(byField(person.body.errors)).toEqual([
      { field: 'designations[0].organizationId', message: `no organization with id ${UNKNOWN_ID}` },
      { field: 'sourceIds[0]', message: `no source with id ${id.restrictedSource}` },
    ]);

    const path = `/api/v1/cases/${await post('/api/v1/cases', { title: 'Cited case', stage: 'trial', sourceIds: [id.source] })}`;
    const before = (await t.admin.get(path).expect(200)).body as object;
    const kase = await patchAs(t.editor, path, {
      eventId: UNKNOWN_ID,
      participants: [{ personId: id.restrictedPerson, role: 'defendant' }],
      sourceIds: [id.source, id.restrictedSource],
    });
    expect(kase.status).toBe(400);
    expect(byField(kase.body.errors)).toEqual([
      { field: 'eventId', message: `no event with id ${UNKNOWN_ID}` },
      { field: 'participants[0].personId', message: `no person with id ${id.restrictedPerson}` },
      { field: 'sourceIds[1]', message: `no source with id ${id.restrictedSource}` },
    ]);
    expect((await t.admin.get(path).expect(200)).body).toEqual(before);
  });

  it('names a restricted hearing as the one a hearing was postponed to only to readers who may see it', async () => {
    const defendant = (await createPerson(t, personBody(' Postponed'))).id;
    const caseId = (
      await createCase(t, {
        title: 'Case with a postponed hearing',
        stage: 'trial',
        participants: [{ personId: defendant, role: 'defendant' }],
      })
    ).id;
    const restricted = (await createHearing(t, caseId, { startsAt: '2030-09-01T10:00', visibility: 'restricted' })).id;
    const postponed = (await createHearing(t, caseId, { startsAt: '2030-03-01T10:00' })).id;
    await patchAs(t.admin, `/api/v1/hearings/${postponed}`, { status: 'postponed', postponedToId: restricted });
    // A hearing still scheduled may name its later date already: it is the case's next hearing.
    const pending = (await createHearing(t, caseId, { startsAt: '2030-04-01T10:00', postponedToId: restricted })).id;

    /** Where `client` is told what `postponed` and `pending` were postponed to. */
    const postponedTo = async (client: Client) => {
      type Listed = { id: string; postponedToId: string | null };
      const byId = (items: Listed[]) =>
        Object.fromEntries(items.filter((h) => h.id !== restricted).map((h) => [h.id, h.postponedToId]));
      const one = async (hearingId: string) =>
        ((await client.get(`/api/v1/hearings/${hearingId}`).expect(200)).body as { postponedToId: string | null })
          .postponedToId;
      const nextHearing = (await caseRecord(client, caseId)).nextHearing!;
      const personCase = (await personFile(client, defendant)).cases[0]!.nextHearing!;
      return {
        get: { [postponed]: await one(postponed), [pending]: await one(pending) },
        list: byId(await listItems<Listed>(client, '/api/v1/hearings', { caseId })),
        window: byId(
          await listItems<Listed>(client, '/api/v1/hearings', {
            from: '2030-02-01T00:00:00Z',
            to: '2030-10-01T00:00:00Z',
          }),
        ),
        caseHearings: byId(await listItems<Listed>(client, `/api/v1/cases/${caseId}/hearings`)),
        nextHearing: [nextHearing.id, nextHearing.postponedToId],
        personCase: [personCase.id, personCase.postponedToId],
      };
    };
    const named = (to: string | null) => ({
      get: { [postponed]: to, [pending]: to },
      list: { [postponed]: to, [pending]: to },
      window: expect.objectContaining({ [postponed]: to, [pending]: to }),
      caseHearings: { [postponed]: to, [pending]: to },
      nextHearing: [pending, to],
      personCase: [pending, to],
    });

    expect(await postponedTo(t.admin)).toEqual(named(restricted));
    for (const [reader, client] of readers) {
      expect({ reader, ...(await postponedTo(client)) }).toEqual({ reader, ...named(null) });
    }
    const user = await t.createUser('viewer', 'Granted on the postponed case');
    const granted = await grant(user, { caseId });
    expect(await postponedTo(user.client)).toEqual(named(restricted));
    await withdraw(granted);
    expect(await postponedTo(user.client)).toEqual(named(null));
  });

  it('keeps restricted sources, hearings and persons out of the history other readers see', async () => {
    const text = async (client: Client, path: string) =>
      JSON.stringify((await client.get(`${path}/history`).expect(200)).body);
    const paths = await Promise.all(citingKinds.map((kind) => citing(kind, [id.source, id.restrictedSource])));
    const withParticipants = `/api/v1/cases/${await post('/api/v1/cases', {
      title: 'Case with a restricted participant',
      stage: 'trial',
      participants: [
        { personId: id.person, role: 'defendant' },
        { personId: id.restrictedPerson, role: 'relative' },
      ],
    })}`;
    const caseId = await post('/api/v1/cases', { title: 'Case with a postponed hearing', stage: 'trial' });
    const later = await post(`/api/v1/cases/${caseId}/hearings`, {
      startsAt: '2031-02-01T10:00',
      timeZone: 'Asia/Almaty',
      visibility: 'restricted',
    });
    const hearing = `/api/v1/hearings/${await post(`/api/v1/cases/${caseId}/hearings`, {
      startsAt: '2031-01-01T10:00',
      timeZone: 'Asia/Almaty',
    })}`;
    await patchAs(t.admin, hearing, { status: 'postponed', postponedToId: later });

    const hidden = [id.restrictedSource, id.restrictedPerson, later];
    const seen = async (client: Client) => {
      const histories = [
        ...(await Promise.all(paths.map((path) => text(client, path)))),
        await text(client, withParticipants),
        await text(client, hearing),
      ].join('\n');
      return hidden.filter((hiddenId) => histories.includes(hiddenId));
    };
    expect(await seen(t.admin)).toEqual(hidden);
    for (const [reader, client] of readers) expect({ reader, seen: await seen(client) }).toEqual({ reader, seen: [] });
    // What they may see stays in the history: the visible source and the visible participant.
    const caseHistory = await text(t.viewer, withParticipants);
    expect(caseHistory).toContain(id.person);
    expect(await text(t.viewer, paths[0]!)).toContain(id.source);
  });

  it('keeps what was written while a person or case was restricted out of its records’ history once it is not', async () => {
    const secret = 'SAFEHOUSE-ADDRESS';
    const personId = await post('/api/v1/persons', personBody(' Restricted for a while', { visibility: 'restricted' }));
    const caseId = await post('/api/v1/cases', {
      title: 'Restricted for a while',
      stage: 'trial',
      visibility: 'restricted',
    });
    const event = `/api/v1/custody-events/${await post(`/api/v1/persons/${personId}/custody-events`, {
      status: 'arrested',
      from: { date: '2023', precision: 'year' },
      place: secret,
    })}`;
    const note = `/api/v1/notes/${await post(`/api/v1/persons/${personId}/notes`, { body: `Note: ${secret}` })}`;
    const hearing = `/api/v1/hearings/${await post(`/api/v1/cases/${caseId}/hearings`, {
      startsAt: '2031-03-01T10:00',
      timeZone: 'Asia/Almaty',
      court: secret,
    })}`;
    await t.admin
      .put(`/api/v1/persons/${personId}/campaign`)
      .send({ headline: `Campaign ${secret}` })
      .expect(201);
    const campaign = `/api/v1/persons/${personId}/campaign`;
    const hideReason = `hide the address ${secret}`;
    for (const [path, body] of [
      [event, { place: 'Almaty' }],
      [hearing, { court: 'Almaty City Court' }],
    ] as const) {
      const etag = (await t.admin.get(path).expect(200)).headers.etag as string;
      await t.admin.patch(path).set('If-Match', etag).set('X-Change-Reason', hideReason).send(body).expect(200);
    }
    for (const path of [`/api/v1/persons/${personId}`, `/api/v1/cases/${caseId}`])
      await patchAs(t.admin, path, { visibility: 'internal' });
    // Changed once more, now that nothing is restricted: this readers may see.
    await patchAs(t.admin, event, { place: 'Astana', reason: 'moved' });

    const histories = async (client: Client) =>
      (
        await Promise.all(
          [event, note, hearing, campaign].map(async (path) =>
            JSON.stringify((await client.get(`${path}/history`).expect(200)).body),
          ),
        )
      ).join('\n');
    expect(await histories(t.admin)).toContain(secret);
    for (const [reader, client] of readers) {
      const seen = await histories(client);
      expect({ reader, leaked: seen.includes(secret) || seen.includes('Almaty City Court') }).toEqual({
        reader,
        leaked: false,
      });
      expect({ reader, later: seen.includes('Astana') }).toEqual({ reader, later: true });
    }
  });
});
