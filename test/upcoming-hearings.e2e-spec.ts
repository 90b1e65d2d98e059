import type { UpcomingHearingView } from '#case-files';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createCase, createEvent, createHearing, createPerson, personBody } from './support/fixtures.js';
import { type Client, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

/**
 * `GET /hearings/upcoming`: scheduled, live hearings from now until `days` ahead, in time order,
 * with their case and defendants, as far as the reader may see them. The test files share one
 * database: every query is narrowed to this file's own mass event.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

type Query = Record<string, string | number>;

describe('upcoming hearings', () => {
  let t: TestApp;
  /** An editor granted access to the restricted case. */
  let granted: TestUser;
  const tag = randomBytes(4).toString('hex');

  const id = {} as Record<
    | 'event'
    | 'trial'
    | 'restrictedCase'
    | 'kgCase'
    | 'defendant'
    | 'restrictedDefendant'
    | 'witness'
    | 'inRestrictedCase'
    | 'inKgCase',
    string
  >;
  /** Hearing ids by name. */
  const h = {} as Record<
    | 'soon'
    | 'sameInstantFirst'
    | 'sameInstantSecond'
    | 'restrictedHearing'
    | 'inRestrictedCase'
    | 'inKgCase'
    | 'nearEnd'
    | 'beyond'
    | 'pastOne'
    | 'cancelled'
    | 'archived'
    | 'inArchivedCase',
    string
  >;

  /** Every page, walking the cursor with small pages. */
  async function upcoming(client: Client, query: Query = {}, limit = 2): Promise<UpcomingHearingView[]> {
    const items: UpcomingHearingView[] = [];
    let cursor: string | null = null;
    do {
      const res = await client
        .get('/api/v1/hearings/upcoming')
        .query({ eventId: id.event, ...query, limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: UpcomingHearingView[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  const hearingIds = async (client: Client, query: Query = {}) =>
    (await upcoming(client, query)).map((item) => item.hearing.id);

  beforeAll(async () => {
    t = await createTestApp();
    granted = await t.createUser('editor', 'Upcoming granted editor');
    id.event = (await createEvent(t, { names: [`Upcoming unrest ${tag}`] })).id;

    id.defendant = (await createPerson(t, personBody(` upcoming defendant ${tag}`))).id;
    id.restrictedDefendant = (
      await createPerson(t, personBody(` upcoming restricted ${tag}`, { visibility: 'restricted' }))
    ).id;
    id.witness = (await createPerson(t, personBody(` upcoming witness ${tag}`))).id;
    id.inRestrictedCase = (await createPerson(t, personBody(` upcoming in restricted case ${tag}`))).id;
    id.inKgCase = (await createPerson(t, personBody(` upcoming KG ${tag}`, { country: 'KG' }))).id;

    id.trial = (
      await createCase(t, {
        title: `Upcoming trial ${tag}`,
        stage: 'trial',
        country: 'KZ',
        court: 'Almaty City Court',
        eventId: id.event,
        participants: [
          { personId: id.defendant, role: 'defendant' },
          { personId: id.witness, role: 'witness' },
          { personId: id.restrictedDefendant, role: 'defendant' },
        ],
      })
    ).id;
    id.restrictedCase = (
      await createCase(t, {
        title: `Upcoming restricted appeal ${tag}`,
        stage: 'appeal',
        country: 'KZ',
        eventId: id.event,
        visibility: 'restricted',
        participants: [{ personId: id.inRestrictedCase, role: 'defendant' }],
      })
    ).id;
    await t.admin.post('/api/v1/access-grants').send({ userId: granted.id, caseId: id.restrictedCase }).expect(201);
    id.kgCase = (
      await createCase(t, {
        title: `Upcoming Bishkek case ${tag}`,
        stage: 'investigation',
        country: 'KG',
        eventId: id.event,
        participants: [{ personId: id.inKgCase, role: 'defendant' }],
      })
    ).id;
    const archivedCase = await createCase(t, {
      title: `Upcoming archived case ${tag}`,
      stage: 'trial',
      country: 'KZ',
      eventId: id.event,
      participants: [{ personId: id.defendant, role: 'defendant' }],
    });

    const hearing = async (caseId: string, hours: number, extra: object = {}) =>
      (await createHearing(t, caseId, { startsAt: inHours(hours), ...extra })).id;
    // Created out of time order: the list orders them.
    h.nearEnd = await hearing(id.trial, 14 * 24 - 2, { court: 'Almaty City Court', courtroom: '4' });
    h.soon = await hearing(id.trial, 2, { kind: 'preliminary' });
    const sameInstant = inHours(50);
    h.sameInstantFirst = (await createHearing(t, id.trial, { startsAt: sameInstant })).id;
    h.sameInstantSecond = (await createHearing(t, id.kgCase, { startsAt: sameInstant })).id;
    h.inKgCase = h.sameInstantSecond;
    h.restrictedHearing = await hearing(id.trial, 30, { visibility: 'restricted' });
    h.inRestrictedCase = await hearing(id.restrictedCase, 20);
    h.beyond = await hearing(id.trial, 14 * 24 + 2);
    h.pastOne = await hearing(id.trial, -1);
    h.cancelled = await hearing(id.trial, 10, { status: 'cancelled' });
    const archived = await createHearing(t, id.trial, { startsAt: inHours(12) });
    h.archived = archived.id;
    await t.admin.delete(`/api/v1/hearings/${archived.id}`).set('If-Match', `"${archived.version}"`).expect(204);
    h.inArchivedCase = await hearing(archivedCase.id, 6);
    await t.admin.delete(`/api/v1/cases/${archivedCase.id}`).set('If-Match', `"${archivedCase.version}"`).expect(204);
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists scheduled live hearings of the next 14 days by time, then by recording order', async () => {
    expect(await hearingIds(t.admin)).toEqual([
      h.soon,
      h.inRestrictedCase,
      h.restrictedHearing,
      h.sameInstantFirst,
      h.sameInstantSecond,
      h.nearEnd,
    ]);
    const all = await upcoming(t.admin, {}, 100);
    const starts = all.map((item) => Date.parse(item.hearing.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // Pages of any size give the same list.
    expect((await upcoming(t.admin, {}, 1)).map((i) => i.hearing.id)).toEqual(all.map((i) => i.hearing.id));
  });

  it('keeps to the window: from now until `days` ahead, neither past, cancelled nor archived', async () => {
    expect(await hearingIds(t.admin, { days: 1 })).toEqual([h.soon, h.inRestrictedCase]);
    expect(await hearingIds(t.admin, { days: 2 })).toEqual([h.soon, h.inRestrictedCase, h.restrictedHearing]);
    expect(await hearingIds(t.admin, { days: 15 })).toEqual([
      h.soon,
      h.inRestrictedCase,
      h.restrictedHearing,
      h.sameInstantFirst,
      h.sameInstantSecond,
      h.nearEnd,
      h.beyond,
    ]);
    const everything = await hearingIds(t.admin, { days: 366 });
    for (const excluded of [h.pastOne, h.cancelled, h.archived, h.inArchivedCase]) {
      expect(everything).not.toContain(excluded);
    }
  });

  it('gives each hearing with its case and the defendants the reader may see', async () => {
    const [first] = await upcoming(t.admin, { days: 1 });
    expect(first).toEqual({
      hearing: expect.objectContaining({
        id: h.soon,
        caseId: id.trial,
        kind: 'preliminary',
        status: 'scheduled',
        timeZone: 'Asia/Almaty',
      }),
      case: { id: id.trial, title: `Upcoming trial ${tag}`, court: 'Almaty City Court', stage: 'trial' },
      // Defendants only (not the witness), in the case's order.
      defendants: [
        { id: id.defendant, displayName: `Zhanbolat Mamay upcoming defendant ${tag}` },
        { id: id.restrictedDefendant, displayName: `Zhanbolat Mamay upcoming restricted ${tag}` },
      ],
    });
    const hearing = (await t.admin.get(`/api/v1/hearings/${h.soon}`).expect(200)).body as object;
    expect(first!.hearing).toEqual(hearing);

    const [seenByEditor] = await upcoming(t.editor, { days: 1 });
    expect(seenByEditor!.defendants).toEqual([
      { id: id.defendant, displayName: `Zhanbolat Mamay upcoming defendant ${tag}` },
    ]);
  });

  it('leaves out restricted cases and hearings for a reader without clearance', async () => {
    const visibleToAll = [h.soon, h.sameInstantFirst, h.sameInstantSecond, h.nearEnd];
    expect(await hearingIds(t.editor)).toEqual(visibleToAll);
    expect(await hearingIds(t.viewer)).toEqual(visibleToAll);
    // The grant opens the restricted case, not the restricted hearing of another case.
    const grantedItems = await upcoming(granted.client);
    expect(grantedItems.map((i) => i.hearing.id)).toEqual([
      h.soon,
      h.inRestrictedCase,
      h.sameInstantFirst,
      h.sameInstantSecond,
      h.nearEnd,
    ]);
    expect(grantedItems[1]!.defendants).toEqual([
      { id: id.inRestrictedCase, displayName: `Zhanbolat Mamay upcoming in restricted case ${tag}` },
    ]);
  });

  it("filters by the case's country and mass event", async () => {
    expect(await hearingIds(t.admin, { country: 'kg' })).toEqual([h.inKgCase]);
    expect(await hearingIds(t.admin, { country: 'KZ', days: 2 })).toEqual([
      h.soon,
      h.inRestrictedCase,
      h.restrictedHearing,
    ]);
    const unrelated = (await createEvent(t, { names: [`Upcoming other ${tag}`] })).id;
    expect(await hearingIds(t.admin, { eventId: unrelated })).toEqual([]);
  });

  it('is not taken for a hearing id, and answers invalid parameters with 400 naming the field', async () => {
    const res = await t.admin.get('/api/v1/hearings/upcoming').expect(200);
    const body = res.body as { items: UpcomingHearingView[] };
    // Without filters, other test files' hearings are there too: all within 14 days, in order.
    const limit = Date.now() + 14 * DAY_MS + 60_000;
    for (const item of body.items) expect(Date.parse(item.hearing.startsAt)).toBeLessThan(limit);

    for (const days of ['0', '367', '1.5', 'soon', '-1']) {
      const bad = await t.admin.get('/api/v1/hearings/upcoming').query({ days }).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      const fields = (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
      expect([...new Set(fields)]).toEqual(['days']);
    }
    const bad = await t.admin
      .get('/api/v1/hearings/upcoming')
      .query({ country: 'Kazakhstan', eventId: 'nope', cursor: 'x'.repeat(501) })
      .expect(400);
    const fields = (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect([...new Set(fields)].sort()).toEqual(['country', 'cursor', 'eventId']);
    await t.admin.get('/api/v1/hearings/upcoming').query({ days: 366 }).expect(200);
  });
});
