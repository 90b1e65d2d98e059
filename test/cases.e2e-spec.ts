import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  collectItems,
  createCase,
  createEvent,
  createHearing,
  createPerson,
  createSource,
  personBody,
  UNKNOWN_ID,
} from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface CaseItem {
  id: string;
  stage: string;
  country: string | null;
  eventId: string | null;
  participants: Array<{ personId: string; role: string }>;
}

describe('cases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a case with participants, charges, event and sources, and returns them on GET', async () => {
    const mamay = await createPerson(t, personBody(' case'));
    const lawyer = await createPerson(t, { names: [{ value: 'Bauyrzhan Azanov case' }] });
    const event = await createEvent(t);
    const source1 = await createSource(t, { title: 'Court report one' });
    const source2 = await createSource(t, { title: 'Court report two', url: 'https://example.org/report' });

    const body = {
      title: 'Prosecution of Zhanbolat Mamay',
      country: 'KZ',
      court: 'Almaty City Court',
      jurisdiction: 'Almaty',
      stage: 'trial',
      eventId: event.id,
      participants: [
        { personId: mamay.id, role: 'defendant' },
        { personId: lawyer.id, role: 'lawyer', note: 'since April 2022' },
      ],
      charges: [
        {
          article: 'Art. 272 Criminal Code of the Republic of Kazakhstan',
          description: 'organizing the anti-government riots of January 2022',
          maxSentence: { years: 10 },
        },
        { description: 'spreading knowingly false information', maxSentence: { years: 7, months: 6 } },
        { description: 'no stated maximum' },
      ],
      notes: 'Opposition journalist.',
      sourceIds: [source1.id, source2.id],
    };
    const created = await t.admin.post('/api/v1/cases').send(body).expect(201);
    expect(created.body).toMatchObject({
      version: 1,
      title: 'Prosecution of Zhanbolat Mamay',
      country: 'KZ',
      court: 'Almaty City Court',
      jurisdiction: 'Almaty',
      stage: 'trial',
      eventId: event.id,
      visibility: 'internal',
      notes: 'Opposition journalist.',
      outcome: null,
      nextHearing: null,
    });
    expect(created.body.participants).toEqual([
      { personId: mamay.id, displayName: 'Zhanbolat Mamay case', role: 'defendant', note: null },
      { personId: lawyer.id, displayName: 'Bauyrzhan Azanov case', role: 'lawyer', note: 'since April 2022' },
    ]);
    expect(created.body.charges).toEqual([
      {
        article: 'Art. 272 Criminal Code of the Republic of Kazakhstan',
        description: 'organizing the anti-government riots of January 2022',
        maxSentence: { years: 10 },
      },
      { article: null, description: 'spreading knowingly false information', maxSentence: { years: 7, months: 6 } },
      { article: null, description: 'no stated maximum', maxSentence: null },
    ]);
    expect(created.body.sourceIds).toEqual([source1.id, source2.id].sort());

    const got = await t.admin.get(`/api/v1/cases/${created.body.id}`).expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(created.body);
  });

  it('stores the country code in capitals whatever case it is sent in, so the country filter finds it', async () => {
    const created = await createCase(t, { title: 'Lower-case country', stage: 'investigation', country: 'kz' });
    const got = await t.admin.get(`/api/v1/cases/${created.id}`).expect(200);
    expect(got.body.country).toBe('KZ');
    const listed = await collectItems<CaseItem>(t, '/api/v1/cases', { country: 'kz' });
    expect(listed.map((c) => c.id)).toContain(created.id);
  });

  it('takes ids in upper case as the same ids (participants, event, sources, filters)', async () => {
    const person = await createPerson(t, personBody(' upper-case id'));
    const event = await createEvent(t);
    const source = await createSource(t, { title: 'Upper-case source' });
    const created = await t.admin
      .post('/api/v1/cases')
      .send({
        title: 'Ids in upper case',
        stage: 'trial',
        eventId: event.id.toUpperCase(),
        sourceIds: [source.id.toUpperCase()],
        participants: [{ personId: person.id.toUpperCase(), role: 'defendant' }],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      eventId: event.id,
      sourceIds: [source.id],
      participants: [expect.objectContaining({ personId: person.id })],
    });
    const listed = await collectItems<CaseItem>(t, '/api/v1/cases', { personId: person.id.toUpperCase() });
    expect(listed.map((c) => c.id)).toEqual([created.body.id]);
  });

  it('drops spaces around an external id, and refuses one of spaces only', async () => {
    const spaced = await createCase(t, { title: 'Spaced external id', stage: 'trial', externalId: '  kz-case-77 ' });
    expect(spaced.externalId).toBe('kz-case-77');
    const blank = await t.admin
      .post('/api/v1/cases')
      .send({ title: 'Blank external id', stage: 'trial', externalId: '   ' })
      .expect(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toEqual(['externalId']);
  });

  it('refuses unknown participants, events and sources with the exact field path', async () => {
    const person = await createPerson(t, personBody(' unknown refs'));
    const source = await createSource(t);
    const unknownPerson = await t.admin
      .post('/api/v1/cases')
      .send({
        title: 'Unknown participant',
        stage: 'trial',
        participants: [
          { personId: person.id, role: 'defendant' },
          { personId: UNKNOWN_ID, role: 'witness' },
        ],
      })
      .expect(400);
    expect(unknownPerson.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknownPerson.body.errors).toEqual([
      { field: 'participants[1].personId', message: `no person with id ${UNKNOWN_ID}` },
    ]);

    const unknownEvent = await t.admin
      .post('/api/v1/cases')
      .send({ title: 'Unknown event', stage: 'trial', eventId: UNKNOWN_ID })
      .expect(400);
    expect(unknownEvent.body.errors).toEqual([{ field: 'eventId', message: `no event with id ${UNKNOWN_ID}` }]);

    const unknownSource = await t.admin
      .post('/api/v1/cases')
      .send({ title: 'Unknown source', stage: 'trial', sourceIds: [source.id, UNKNOWN_ID] })
      .expect(400);
    expect(unknownSource.body.errors).toEqual([{ field: 'sourceIds[1]', message: `no source with id ${UNKNOWN_ID}` }]);

    // An archived person is no longer a valid participant.
    const archived = await createPerson(t, personBody(' archived participant'));
    await t.admin.delete(`/api/v1/persons/${archived.id}`).set('If-Match', `"${archived.version}"`).expect(204);
    const withArchived = await t.admin
      .post('/api/v1/cases')
      .send({
        title: 'Archived participant',
        stage: 'trial',
        participants: [{ personId: archived.id, role: 'victim' }],
      })
      .expect(400);
    expect(withArchived.body.errors.map((e: { field: string }) => e.field)).toEqual(['participants[0].personId']);

    const malformed = await t.admin
      .post('/api/v1/cases')
      .send({ title: 'Malformed ids', stage: 'trial', participants: [{ personId: 'abc', role: 'defendant' }] })
      .expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'participants[0].personId', message: 'must be a UUID' }]);
  });

  it('refuses the same person twice in the same role, but allows one person in two roles', async () => {
    const person = await createPerson(t, personBody(' twice'));
    const twice = await t.admin
      .post('/api/v1/cases')
      .send({
        title: 'Same person twice',
        stage: 'trial',
        participants: [
          { personId: person.id, role: 'defendant' },
          { personId: person.id, role: 'defendant' },
        ],
      })
      .expect(400);
    expect(twice.body.errors).toEqual([
      { field: 'participants[1]', message: 'repeats the same person in the same role' },
    ]);

    const twoRoles = await createCase(t, {
      title: 'Same person, two roles',
      stage: 'trial',
      participants: [
        { personId: person.id, role: 'victim' },
        { personId: person.id, role: 'witness' },
      ],
    });
    const got = await t.admin.get(`/api/v1/cases/${twoRoles.id}`).expect(200);
    expect(got.body.participants.map((p: { role: string }) => p.role)).toEqual(['victim', 'witness']);
  });

  it('filters the list by stage, country, event and person, and pages with a cursor', async () => {
    const event = await createEvent(t, { names: ['Filter event'] });
    const person = await createPerson(t, personBody(' filters'));
    const other = await createPerson(t, personBody(' filters other'));
    const specs = [
      { stage: 'trial', country: 'KZ', participants: [{ personId: person.id, role: 'defendant' }] },
      { stage: 'appeal', country: 'KZ', participants: [{ personId: other.id, role: 'defendant' }] },
      { stage: 'trial', country: 'UZ', participants: [] },
      { stage: 'investigation', country: 'KZ', participants: [{ personId: person.id, role: 'witness' }] },
      { stage: 'trial', country: 'KZ', participants: [{ personId: other.id, role: 'lawyer' }] },
    ];
    const ids: string[] = [];
    for (const [i, spec] of specs.entries()) {
      ids.push((await createCase(t, { title: `Filtered case ${i}`, eventId: event.id, ...spec })).id);
    }
    const outside = await createCase(t, {
      title: 'Outside the event',
      stage: 'trial',
      country: 'KZ',
      participants: [{ personId: person.id, role: 'relative' }],
    });

    const byEvent = await collectItems<CaseItem>(t, '/api/v1/cases', { eventId: event.id });
    expect(byEvent.map((c) => c.id)).toEqual(ids);

    const trialInEvent = await collectItems<CaseItem>(t, '/api/v1/cases', { eventId: event.id, stage: 'trial' });
    expect(trialInEvent.map((c) => c.id)).toEqual([ids[0], ids[2], ids[4]]);

    const uzInEvent = await collectItems<CaseItem>(t, '/api/v1/cases', { eventId: event.id, country: 'UZ' });
    expect(uzInEvent.map((c) => c.id)).toEqual([ids[2]]);

    const byPerson = await collectItems<CaseItem>(t, '/api/v1/cases', { personId: person.id });
    expect(byPerson.map((c) => c.id)).toEqual([ids[0], ids[3], outside.id]);

    const personTrial = await collectItems<CaseItem>(t, '/api/v1/cases', { personId: person.id, stage: 'trial' });
    expect(personTrial.map((c) => c.id)).toEqual([ids[0], outside.id]);

    // Filters used alone: every item matches, and ours are among them.
    const allTrial = await collectItems<CaseItem>(t, '/api/v1/cases', { stage: 'trial' });
    expect(allTrial.every((c) => c.stage === 'trial')).toBe(true);
    expect(allTrial.map((c) => c.id)).toEqual(expect.arrayContaining([ids[0], ids[2], ids[4], outside.id]));
    expect(allTrial.map((c) => c.id)).not.toContain(ids[1]);
    const allUz = await collectItems<CaseItem>(t, '/api/v1/cases', { country: 'UZ' });
    expect(allUz.every((c) => c.country === 'UZ')).toBe(true);
    expect(allUz.map((c) => c.id)).toContain(ids[2]);

    // Cursor pages of two: the same five cases, in order, no duplicates, the last page ends the list.
    const first = await t.admin.get('/api/v1/cases').query({ eventId: event.id, limit: 2 }).expect(200);
    expect(first.body.items.map((c: CaseItem) => c.id)).toEqual(ids.slice(0, 2));
    const second = await t.admin
      .get('/api/v1/cases')
      .query({ eventId: event.id, limit: 2, cursor: first.body.nextCursor })
      .expect(200);
    expect(second.body.items.map((c: CaseItem) => c.id)).toEqual(ids.slice(2, 4));
    const third = await t.admin
      .get('/api/v1/cases')
      .query({ eventId: event.id, limit: 2, cursor: second.body.nextCursor })
      .expect(200);
    expect(third.body.items.map((c: CaseItem) => c.id)).toEqual(ids.slice(4));
    expect(third.body.nextCursor).toBeNull();

    const bad = await t.admin
      .get('/api/v1/cases')
      .query({ stage: 'sentencing', country: 'XX', eventId: 'x', personId: 'y' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'eventId',
      'personId',
      'stage',
    ]);
  });

  it('replaces participants and charges on PATCH, sets an outcome, and refuses a stale If-Match', async () => {
    const a = await createPerson(t, personBody(' patch a'));
    const b = await createPerson(t, personBody(' patch b'));
    const source = await createSource(t);
    const created = await createCase(t, {
      title: 'Case to change',
      stage: 'trial',
      participants: [{ personId: a.id, role: 'defendant' }],
      charges: [{ description: 'first charge', maxSentence: { years: 10 } }],
      sourceIds: [source.id],
    });

    const patched = await t.admin
      .patch(`/api/v1/cases/${created.id}`)
      .set('If-Match', '"1"')
      .send({
        stage: 'verdict',
        participants: [
          { personId: b.id, role: 'defendant' },
          { personId: a.id, role: 'witness' },
        ],
        charges: [{ article: 'Art. 274', description: 'second charge', maxSentence: { years: 5, days: 10 } }],
        outcome: {
          verdict: 'convicted',
          date: { date: '2024-06', precision: 'month' },
          sentence: { years: 7 },
          note: 'appeal filed',
        },
      })
      .expect(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body).toMatchObject({
      version: 2,
      title: 'Case to change',
      stage: 'verdict',
      outcome: {
        verdict: 'convicted',
        date: { date: '2024-06', precision: 'month' },
        sentence: { years: 7 },
        note: 'appeal filed',
      },
      sourceIds: [source.id],
    });
    expect(patched.body.participants.map((p: { personId: string; role: string }) => [p.personId, p.role])).toEqual([
      [b.id, 'defendant'],
      [a.id, 'witness'],
    ]);
    expect(patched.body.charges).toEqual([
      { article: 'Art. 274', description: 'second charge', maxSentence: { years: 5, days: 10 } },
    ]);

    const stale = await t.admin
      .patch(`/api/v1/cases/${created.id}`)
      .set('If-Match', '"1"')
      .send({ title: 'Lost update' })
      .expect(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 2 });

    // Leaving lists out keeps them; sending empty lists and a null outcome clears them.
    const kept = await t.admin
      .patch(`/api/v1/cases/${created.id}`)
      .set('If-Match', `"${patched.body.version}"`)
      .send({ notes: 'kept' })
      .expect(200);
    expect(kept.body).toMatchObject({ version: 3, title: 'Case to change', notes: 'kept' });
    expect(kept.body.participants).toHaveLength(2);
    expect(kept.body.charges).toHaveLength(1);
    expect(kept.body.outcome).not.toBeNull();
    const cleared = await t.admin
      .patch(`/api/v1/cases/${created.id}`)
      .set('If-Match', '"3"')
      .send({ participants: [], charges: [], sourceIds: [], outcome: null })
      .expect(200);
    expect(cleared.body).toMatchObject({
      version: 4,
      participants: [],
      charges: [],
      sourceIds: [],
      outcome: null,
    });

    const got = await t.admin.get(`/api/v1/cases/${created.id}`).expect(200);
    expect(got.body).toEqual(cleared.body);
    await t.admin.patch(`/api/v1/cases/${UNKNOWN_ID}`).set('If-Match', '"1"').send({ title: 'x' }).expect(404);
  });

  it('archives a case (404, gone from lists) and restores it', async () => {
    const event = await createEvent(t, { names: ['Archive event'] });
    const created = await createCase(t, { title: 'Case to archive', stage: 'closed', eventId: event.id });
    await t.admin.delete(`/api/v1/cases/${created.id}`).set('If-Match', '"1"').expect(204);
    const gone = await t.admin.get(`/api/v1/cases/${created.id}`).expect(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await collectItems<CaseItem>(t, '/api/v1/cases', { eventId: event.id })).toEqual([]);
    expect((await collectItems<CaseItem>(t, '/api/v1/cases')).map((c) => c.id)).not.toContain(created.id);
    // Sent with the archived record's current version, so only the archiving can explain the 404.
    await t.admin.patch(`/api/v1/cases/${created.id}`).set('If-Match', '"2"').send({ title: 'x' }).expect(404);
    await t.admin.delete(`/api/v1/cases/${created.id}`).set('If-Match', '"2"').expect(404);

    const restored = await t.admin.post(`/api/v1/cases/${created.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ id: created.id, title: 'Case to archive', version: 3 });
    expect((await collectItems<CaseItem>(t, '/api/v1/cases', { eventId: event.id })).map((c) => c.id)).toEqual([
      created.id,
    ]);
    await t.admin.post(`/api/v1/cases/${UNKNOWN_ID}/restore`).expect(404);
  });

  it("lists the case in the person's case file with roles, charges and the next future scheduled hearing", async () => {
    const person = await createPerson(t, personBody(' case file'));
    const other = await createPerson(t, personBody(' case file other'));
    const created = await createCase(t, {
      title: 'Case in the case file',
      stage: 'trial',
      participants: [
        { personId: person.id, role: 'defendant' },
        { personId: other.id, role: 'defendant' },
        { personId: person.id, role: 'witness' },
      ],
      charges: [{ article: 'Art. 274', description: 'false information', maxSentence: { years: 10 } }],
    });
    const unrelated = await createCase(t, {
      title: 'Case without the person',
      stage: 'trial',
      participants: [{ personId: other.id, role: 'defendant' }],
    });

    let file = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(file.body.cases).toEqual([
      {
        id: created.id,
        title: 'Case in the case file',
        stage: 'trial',
        roles: ['defendant', 'witness'],
        charges: [{ article: 'Art. 274', description: 'false information', maxSentence: { years: 10 } }],
        nextHearing: null,
      },
    ]);

    // Past, postponed and cancelled hearings never count; of the future scheduled ones, the earliest does.
    await createHearing(t, created.id, { startsAt: '2020-05-01T10:00', status: 'scheduled' });
    await createHearing(t, created.id, { startsAt: '2090-01-10T10:00', status: 'postponed' });
    await createHearing(t, created.id, { startsAt: '2090-01-11T10:00', status: 'cancelled' });
    await createHearing(t, created.id, { startsAt: '2090-03-01T10:00', status: 'scheduled' });
    const earliest = await createHearing(t, created.id, { startsAt: '2090-02-01T10:00', kind: 'trial' });
    await createHearing(t, unrelated.id, { startsAt: '2090-01-05T10:00' });

    file = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(file.body.cases).toHaveLength(1);
    expect(file.body.cases[0].nextHearing).toMatchObject({
      id: earliest.id,
      caseId: created.id,
      startsAt: '2090-02-01T05:00:00.000Z',
      localStartsAt: '2090-02-01T10:00:00+05:00',
      timeZone: 'Asia/Almaty',
      kind: 'trial',
      status: 'scheduled',
    });
    const got = await t.admin.get(`/api/v1/cases/${created.id}`).expect(200);
    expect(got.body.nextHearing).toMatchObject({ id: earliest.id });

    // Once that hearing is held, the next scheduled one takes its place.
    await t.admin
      .patch(`/api/v1/hearings/${earliest.id}`)
      .set('If-Match', `"${earliest.version}"`)
      .send({ status: 'held' })
      .expect(200);
    file = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(file.body.cases[0].nextHearing).toMatchObject({ startsAt: '2090-03-01T05:00:00.000Z' });

    // An archived case leaves the case file.
    await t.admin.delete(`/api/v1/cases/${created.id}`).set('If-Match', `"${created.version}"`).expect(204);
    file = await t.admin.get(`/api/v1/persons/${person.id}`).expect(200);
    expect(file.body.cases).toEqual([]);
  });

  it('shows an archived person in no case, and again once restored', async () => {
    const defendant = await createPerson(t, personBody(' archived participant'));
    const lawyer = await createPerson(t, personBody(' their lawyer'));
    const created = await createCase(t, {
      title: 'Case with an archived participant',
      stage: 'trial',
      participants: [
        { personId: defendant.id, role: 'defendant' },
        { personId: lawyer.id, role: 'lawyer' },
      ],
    });
    await t.admin.delete(`/api/v1/persons/${lawyer.id}`).set('If-Match', `"${lawyer.version}"`).expect(204);
    const hidden = await t.admin.get(`/api/v1/cases/${created.id}`).expect(200);
    expect(hidden.body.participants.map((p: { personId: string }) => p.personId)).toEqual([defendant.id]);
    await t.admin.post(`/api/v1/persons/${lawyer.id}/restore`).expect(200);
    const shown = await t.admin.get(`/api/v1/cases/${created.id}`).expect(200);
    expect(shown.body.participants.map((p: { personId: string }) => p.personId)).toEqual([defendant.id, lawyer.id]);
  });
});
