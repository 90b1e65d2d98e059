import {
  applyPersonFilters,
  PersonEntity,
  PersonFilterDto,
  type PersonFilter,
  type PersonSummaryView,
} from '#case-files';
import { type Actor, InvalidInputError, validateDto } from '#common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, createEvent, createHearing, createPerson, personBody } from './support/fixtures.js';
import { type Client, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

/**
 * `GET /persons` filters: current custody status, mass event, case stage and upcoming hearing,
 * combined with country and visibility; and none of them reveals restricted material.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
const partial = (date: string) => ({ date, precision: ({ 4: 'year', 7: 'month', 10: 'day' } as const)[date.length]! });

type Query = Record<string, string | number>;

describe('person filters', () => {
  let t: TestApp;
  /** An editor granted access to the restricted material below. */
  let granted: TestUser;

  const id = {} as Record<
    | 'massEvent'
    | 'otherMassEvent'
    | 'arrested'
    | 'corrected'
    | 'redated'
    | 'sameDate'
    | 'finerDate'
    | 'restrictedLater'
    | 'onTrial'
    | 'onAppeal'
    | 'witness'
    | 'inRestrictedCase'
    | 'restrictedHearing'
    | 'twoCases'
    | 'inArchivedCase'
    | 'restrictedCase',
    string
  >;

  async function post(path: string, body: object): Promise<{ id: string; version: number }> {
    return (await t.admin.post(path).send(body).expect(201)).body as { id: string; version: number };
  }

  const custody = (personId: string, status: string, date: string, extra: object = {}) =>
    post(`/api/v1/persons/${personId}/custody-events`, { status, from: partial(date), ...extra });

  /** The persons this file creates. */
  const ours = new Set<string>();

  async function person(tag: string, country = 'KZ'): Promise<string> {
    const created = await createPerson(t, personBody(` ${tag}`, { country }));
    ours.add(created.id);
    return created.id;
  }

  /**
   * Every person of this file matching `query` as `client` sees them, walking all pages (the
   * test files share one database, so the persons of others are left out).
   */
  async function find(client: Client, query: Query | string, limit = 100): Promise<PersonSummaryView[]> {
    const items: PersonSummaryView[] = [];
    let cursor: string | null = null;
    do {
      const req = client
        .get('/api/v1/persons')
        .query(query)
        .query({ limit, ...(cursor ? { cursor } : {}) });
      const body = (await req.expect(200)).body as { items: PersonSummaryView[]; nextCursor: string | null };
      items.push(...body.items.filter((p) => ours.has(p.id)));
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  const ids = async (client: Client, query: Query | string, limit?: number) =>
    (await find(client, query, limit)).map((p) => p.id);

  beforeAll(async () => {
    t = await createTestApp();
    granted = await t.createUser('editor', 'Granted editor');
    id.massEvent = (await createEvent(t, { names: ['Filter unrest'] })).id;
    id.otherMassEvent = (await createEvent(t, { names: ['Other unrest'] })).id;

    // Custody histories (everyone below without a custody event has no current status).
    id.arrested = await person('arrested', 'KG');
    await custody(id.arrested, 'arrested', '2022-01-06');

    id.corrected = await person('corrected');
    await custody(id.corrected, 'arrested', '2022-01');
    const toCorrect = await custody(id.corrected, 'pretrial-detention', '2022-03-10');
    await t.admin
      .patch(`/api/v1/custody-events/${toCorrect.id}`)
      .set('If-Match', `"${toCorrect.version}"`)
      .send({ status: 'house-arrest', reason: 'the court ordered house arrest, not detention' })
      .expect(200);
    // An archived later event no longer counts.
    const mistaken = await custody(id.corrected, 'imprisoned', '2023');
    await t.admin
      .delete(`/api/v1/custody-events/${mistaken.id}`)
      .set('If-Match', `"${mistaken.version}"`)
      .set('X-Change-Reason', 'entered for the wrong person')
      .expect(204);

    // A date correction makes the earlier-recorded event the latest.
    id.redated = await person('redated');
    const redate = await custody(id.redated, 'arrested', '2022-05-01');
    await custody(id.redated, 'released', '2022-06-01');
    await t.admin
      .patch(`/api/v1/custody-events/${redate.id}`)
      .set('If-Match', `"${redate.version}"`)
      .send({ from: partial('2022-07-01'), reason: 'the arrest was in July' })
      .expect(200);

    // Same date: the order of recording decides.
    id.sameDate = await person('same date');
    await custody(id.sameDate, 'arrested', '2022-03');
    await custody(id.sameDate, 'pretrial-detention', '2022-03');

    // Same first day: the finer date comes after the coarser one, whatever the recording order.
    id.finerDate = await person('finer date');
    await custody(id.finerDate, 'pretrial-detention', '2022-03-01');
    await custody(id.finerDate, 'arrested', '2022-03');

    // A later restricted event decides only for readers who may see it.
    id.restrictedLater = await person('restricted later');
    await custody(id.restrictedLater, 'arrested', '2022-01-06');
    await custody(id.restrictedLater, 'imprisoned', '2023-02-01', { visibility: 'restricted' });
    await post('/api/v1/access-grants', { userId: granted.id, personId: id.restrictedLater });

    // Cases and hearings.
    id.onTrial = await person('on trial');
    id.witness = await person('witness');
    await custody(id.onTrial, 'pretrial-detention', '2022-02');
    const trial = await createCase(t, {
      title: 'Trial case',
      stage: 'trial',
      eventId: id.massEvent,
      participants: [
        { personId: id.onTrial, role: 'defendant' },
        { personId: id.witness, role: 'witness' },
      ],
    });
    await createHearing(t, trial.id, { startsAt: inDays(3) });

    id.onAppeal = await person('on appeal', 'KG');
    await custody(id.onAppeal, 'pretrial-detention', '2022-02');
    const appeal = await createCase(t, {
      title: 'Appeal case',
      stage: 'appeal',
      eventId: id.massEvent,
      participants: [{ personId: id.onAppeal, role: 'defendant' }],
    });
    await createHearing(t, appeal.id, { startsAt: inDays(3), status: 'cancelled' });
    await createHearing(t, appeal.id, { startsAt: inDays(-2) });

    id.inRestrictedCase = await person('in restricted case');
    id.restrictedCase = (
      await createCase(t, {
        title: 'Restricted case',
        stage: 'cassation',
        eventId: id.otherMassEvent,
        visibility: 'restricted',
        participants: [{ personId: id.inRestrictedCase, role: 'defendant' }],
      })
    ).id;
    await createHearing(t, id.restrictedCase, { startsAt: inDays(5) });
    await post('/api/v1/access-grants', { userId: granted.id, caseId: id.restrictedCase });

    id.restrictedHearing = await person('restricted hearing');
    const verdict = await createCase(t, {
      title: 'Case with a restricted hearing',
      stage: 'verdict',
      participants: [{ personId: id.restrictedHearing, role: 'defendant' }],
    });
    await createHearing(t, verdict.id, { startsAt: inDays(4), visibility: 'restricted' });

    // One case of the mass event, closed; another, unrelated, on trial.
    id.twoCases = await person('two cases');
    await createCase(t, {
      title: 'Closed case of the mass event',
      stage: 'closed',
      eventId: id.massEvent,
      participants: [{ personId: id.twoCases, role: 'defendant' }],
    });
    await createCase(t, {
      title: 'Unrelated trial',
      stage: 'trial',
      participants: [{ personId: id.twoCases, role: 'defendant' }],
    });

    id.inArchivedCase = await person('in archived case');
    const archived = await createCase(t, {
      title: 'Archived case',
      stage: 'investigation',
      eventId: id.otherMassEvent,
      participants: [{ personId: id.inArchivedCase, role: 'defendant' }],
    });
    await createHearing(t, archived.id, { startsAt: inDays(1) });
    await t.admin.delete(`/api/v1/cases/${archived.id}`).set('If-Match', `"${archived.version}"`).expect(204);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('status', () => {
    it('follows the latest custody event: corrections, archived events and the order of equal dates', async () => {
      expect(await ids(t.admin, { status: 'arrested' })).toEqual([id.arrested, id.redated]);
      expect(await ids(t.admin, { status: 'house-arrest' })).toEqual([id.corrected]);
      expect(await ids(t.admin, { status: 'released' })).toEqual([]);
      expect(await ids(t.admin, { status: 'imprisoned' })).toEqual([id.restrictedLater]);
      expect(await ids(t.admin, { status: 'pretrial-detention' })).toEqual([
        id.sameDate,
        id.finerDate,
        id.onTrial,
        id.onAppeal,
      ]);
    });

    it('agrees with the currentCustody each reader is shown', async () => {
      for (const client of [t.admin, t.editor, granted.client]) {
        for (const p of await find(client, {})) {
          if (!p.currentCustody) continue;
          const matching = await ids(client, { status: p.currentCustody.status });
          expect({ id: p.id, matching: matching.includes(p.id) }).toEqual({ id: p.id, matching: true });
        }
      }
    });

    it('accepts several statuses, comma-separated or repeated', async () => {
      const expected = [id.arrested, id.corrected, id.redated];
      expect(await ids(t.admin, { status: 'arrested,house-arrest' })).toEqual(expected);
      expect(await ids(t.admin, 'status=arrested&status=house-arrest')).toEqual(expected);
    });

    it('decides by the latest event the reader may see', async () => {
      // Without a grant the restricted imprisonment is invisible: the person is still "arrested".
      expect(await ids(t.editor, { status: 'arrested' })).toContain(id.restrictedLater);
      expect(await ids(t.editor, { status: 'imprisoned' })).toEqual([]);
      const seen = (await find(t.editor, { status: 'arrested' })).find((p) => p.id === id.restrictedLater);
      expect(seen?.currentCustody?.status).toBe('arrested');

      expect(await ids(t.admin, { status: 'arrested' })).not.toContain(id.restrictedLater);
      expect(await ids(granted.client, { status: 'imprisoned' })).toEqual([id.restrictedLater]);
      expect(await ids(granted.client, { status: 'arrested' })).not.toContain(id.restrictedLater);
    });
  });

  describe('case criteria', () => {
    it('finds the defendants of a mass event, not other participants nor archived cases', async () => {
      expect(await ids(t.admin, { eventId: id.massEvent })).toEqual([id.onTrial, id.onAppeal, id.twoCases]);
      expect(await ids(t.admin, { eventId: id.otherMassEvent })).toEqual([id.inRestrictedCase]);
    });

    it('finds the defendants of cases at the given stages', async () => {
      expect(await ids(t.admin, { stage: 'trial' })).toEqual([id.onTrial, id.twoCases]);
      expect(await ids(t.admin, { stage: 'appeal,verdict' })).toEqual([id.onAppeal, id.restrictedHearing]);
      expect(await ids(t.admin, { stage: 'investigation' })).toEqual([]);
    });

    it('requires one and the same case to meet every case criterion', async () => {
      expect(await ids(t.admin, { eventId: id.massEvent, stage: 'trial' })).toEqual([id.onTrial]);
      expect(await ids(t.admin, { eventId: id.massEvent, stage: 'closed' })).toEqual([id.twoCases]);
      expect(await ids(t.admin, { eventId: id.massEvent, hearingWithinDays: 7 })).toEqual([id.onTrial]);
      expect(await ids(t.admin, { stage: 'appeal', hearingWithinDays: 7 })).toEqual([]);
    });

    it('finds scheduled hearings within the window, not cancelled or past ones', async () => {
      expect(await ids(t.admin, { hearingWithinDays: 7 })).toEqual([
        id.onTrial,
        id.inRestrictedCase,
        id.restrictedHearing,
      ]);
      expect(await ids(t.admin, { hearingWithinDays: 3 })).toEqual([id.onTrial]);
      expect(await ids(t.admin, { hearingWithinDays: 2 })).toEqual([]);
    });

    it('lets no restricted case or hearing make a person match for a reader without clearance', async () => {
      for (const client of [t.editor, t.viewer]) {
        expect(await ids(client, { eventId: id.otherMassEvent })).toEqual([]);
        expect(await ids(client, { stage: 'cassation' })).toEqual([]);
        expect(await ids(client, { hearingWithinDays: 7 })).toEqual([id.onTrial]);
        // The case itself is visible: its stage may be filtered on.
        expect(await ids(client, { stage: 'verdict' })).toEqual([id.restrictedHearing]);
      }
      expect(await ids(granted.client, { stage: 'cassation' })).toEqual([id.inRestrictedCase]);
      expect(await ids(granted.client, { hearingWithinDays: 7 })).toEqual([id.onTrial, id.inRestrictedCase]);
    });
  });

  it('combines the criteria with country and visibility', async () => {
    expect(await ids(t.admin, { status: 'pretrial-detention', country: 'kg' })).toEqual([id.onAppeal]);
    expect(await ids(t.admin, { status: 'pretrial-detention', eventId: id.massEvent })).toEqual([
      id.onTrial,
      id.onAppeal,
    ]);
    expect(
      await ids(t.admin, { status: 'pretrial-detention', country: 'KZ', stage: 'trial', hearingWithinDays: 3 }),
    ).toEqual([id.onTrial]);
    expect(await ids(t.admin, { eventId: id.massEvent, visibility: 'internal', country: 'KG' })).toEqual([id.onAppeal]);
    expect(await ids(t.admin, { eventId: id.massEvent, visibility: 'public' })).toEqual([]);
  });

  it('pages through filtered results with the cursor', async () => {
    const query = { status: 'pretrial-detention,arrested' };
    const all = await ids(t.admin, query);
    expect(all).toHaveLength(6);
    expect(await ids(t.admin, query, 1)).toEqual(all);
    expect(await ids(t.admin, query, 4)).toEqual(all);
  });

  it('answers invalid criteria with 400 naming each field', async () => {
    const res = await t.admin
      .get('/api/v1/persons')
      .query({ status: 'arrested,free', stage: 'sentenced', hearingWithinDays: 0, eventId: 'not-a-uuid' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect([...new Set(fields)].sort()).toEqual(['eventId', 'hearingWithinDays', 'stage', 'status']);

    for (const hearingWithinDays of ['367', 'soon', '1.5']) {
      const bad = await t.admin.get('/api/v1/persons').query({ hearingWithinDays }).expect(400);
      expect((bad.body as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('hearingWithinDays');
    }
    await t.admin.get('/api/v1/persons').query({ hearingWithinDays: 366 }).expect(200);
  });

  describe('reused elsewhere', () => {
    it('accepts the criteria as a JSON object, lists as arrays or comma-separated', () => {
      const filter = validateDto(PersonFilterDto, {
        status: ['house-arrest'],
        stage: 'trial,appeal',
        country: 'kz',
        hearingWithinDays: 7,
      });
      expect({ ...filter }).toEqual({
        status: ['house-arrest'],
        stage: ['trial', 'appeal'],
        country: 'KZ',
        hearingWithinDays: 7,
      });
      const refuse = (plain: object) => {
        try {
          validateDto(PersonFilterDto, plain);
        } catch (error) {
          return (error as InvalidInputError).errors.map((e) => e.field);
        }
        return [];
      };
      expect(refuse({ status: [] })).toEqual(['status']);
      expect(refuse({ status: ['free'], limit: 10 }).sort()).toEqual(['limit', 'status']);
    });

    it('filters a query builder with parameters of its own', async () => {
      const editor: Actor = { kind: 'user', id: granted.id, role: 'editor', label: 'granted editor' };
      const filter: PersonFilter = { status: ['imprisoned'] };
      const qb = t.dataSource.manager
        .createQueryBuilder(PersonEntity, 'person')
        .where('person.id IN (:...ids)', { ids: [...ours] });
      const found = await applyPersonFilters(qb, filter, editor).getMany();
      expect(found.map((p) => p.id)).toEqual([id.restrictedLater]);
    });
  });
});
