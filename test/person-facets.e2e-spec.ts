import {
  applyPersonFilters,
  facetCounts,
  PersonEntity,
  type PersonCaseFileView,
  type PersonFacetsView,
  type PersonFilter,
  type PersonSummaryView,
} from '#case-files';
import { type Actor, audienceReader } from '#common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { LATEST_CUSTODY_STATUSES_SQL } from '../migrations/1795260000001-CurrentCustodyStatus.js';
import { DEFENDANT_STAGE_BITS_SQL, STAGE_BIT_ORDER } from '../migrations/1795260000005-DefendantStageBits.js';
import { createCase, createEvent, createHearing, createPerson, personBody } from './support/fixtures.js';
import { type Client, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

const DAY = 24 * 3600 * 1000;

/**
 * `GET /persons?facets=true`: counts per current custody status, country and case stage over the
 * whole filtered list, as each reader sees it; the charge `article` filter; the stored current
 * statuses behind the status filter, kept right by every custody write; and the stored stages of
 * each person's cases as a defendant behind the stage facet, kept right by every case write.
 *
 * The test files share one database: every query here is narrowed to this file's own mass
 * events or charge articles (made unique with `tag`), so only its own persons are counted.
 */

const partial = (date: string) => ({ date, precision: ({ 4: 'year', 7: 'month', 10: 'day' } as const)[date.length]! });

type Query = Record<string, string | number>;
type Facets = PersonFacetsView;
type Counts = Array<{ key: string | null; count: number }>;

/** Facet lists in the documented order: largest count first, then by key, null last. */
function sorted(counts: Map<string | null, number>): Counts {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) =>
      a.count !== b.count
        ? b.count - a.count
        : a.key === b.key
          ? 0
          : a.key === null
            ? 1
            : b.key === null
              ? -1
              : a.key < b.key
                ? -1
                : 1,
    );
}

function tally<T>(items: T[], keys: (item: T) => Array<string | null>): Counts {
  const counts = new Map<string | null, number>();
  for (const item of items) for (const key of keys(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return sorted(counts);
}

describe('person facets', () => {
  let t: TestApp;
  /** An editor granted access to `id.laterRestricted` only. */
  let granted: TestUser;
  const tag = randomBytes(4).toString('hex');
  const article = `272-2/${tag}`;
  const otherArticle = `405/${tag}`;

  const id = {} as Record<
    | 'event'
    | 'changingEvent'
    | 'publicPerson'
    | 'laterRestricted'
    | 'restrictedPerson'
    | 'inRestrictedCase'
    | 'inArchivedCase'
    | 'witness'
    | 'changing'
    | 'stagesEvent',
    string
  >;

  async function post(path: string, body: object): Promise<{ id: string; version: number }> {
    return (await t.admin.post(path).send(body).expect(201)).body as { id: string; version: number };
  }

  const custody = (personId: string, status: string, date: string, extra: object = {}) =>
    post(`/api/v1/persons/${personId}/custody-events`, { status, from: partial(date), ...extra });

  const person = async (name: string, extra: Record<string, unknown> = {}) =>
    (await createPerson(t, personBody(` ${name} ${tag}`, extra))).id;

  /** Every page of the list (small pages, to cross the cursor), and the facets of the first. */
  async function list(client: Client, query: Query): Promise<{ items: PersonSummaryView[]; facets: Facets }> {
    const items: PersonSummaryView[] = [];
    let facets: Facets | undefined;
    let cursor: string | null = null;
    do {
      const res = await client
        .get('/api/v1/persons')
        .query({ ...query, facets: 'true', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: PersonSummaryView[]; nextCursor: string | null; facets: Facets };
      // Every page carries the counts of the whole list, not of itself.
      if (facets) expect(body.facets).toEqual(facets);
      facets = body.facets;
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return { items, facets: facets! };
  }

  /** The facets `client` should get for `items`: from each person's case file as it sees it. */
  async function expectedFacets(client: Client, items: PersonSummaryView[]): Promise<Facets> {
    const files = await Promise.all(
      items.map(async (p) => (await client.get(`/api/v1/persons/${p.id}`).expect(200)).body as PersonCaseFileView),
    );
    return {
      total: items.length,
      status: tally(items, (p) => [p.currentCustody?.status ?? null]),
      country: tally(items, (p) => [p.country]),
      stage: tally(files, (f) => [
        ...new Set(f.cases.filter((c) => c.roles.includes('defendant')).map((c) => c.stage)),
      ]),
    };
  }

  const readers = () => ({ admin: t.admin, editor: t.editor, viewer: t.viewer, granted: granted.client });

  beforeAll(async () => {
    t = await createTestApp();
    granted = await t.createUser('editor', 'Facets granted editor');
    id.event = (await createEvent(t, { names: [`Facet unrest ${tag}`] })).id;
    id.changingEvent = (await createEvent(t, { names: [`Facet custody changes ${tag}`] })).id;

    // Public person: public arrest, then internal pretrial detention (public reports see the arrest).
    id.publicPerson = await person('public', { country: 'KZ', visibility: 'public' });
    await custody(id.publicPerson, 'arrested', '2022-01', { visibility: 'public' });
    await custody(id.publicPerson, 'pretrial-detention', '2022-03-10');

    // A later restricted event: imprisoned for admins and the granted editor, arrested for others.
    id.laterRestricted = await person('later restricted', { country: 'KG' });
    await custody(id.laterRestricted, 'arrested', '2022-02');
    await custody(id.laterRestricted, 'imprisoned', '2023', { visibility: 'restricted' });
    await post('/api/v1/access-grants', { userId: granted.id, personId: id.laterRestricted });

    // A restricted person: counted for admins only.
    id.restrictedPerson = await person('restricted person', { country: 'KZ', visibility: 'restricted' });
    await custody(id.restrictedPerson, 'house-arrest', '2022-05');

    // No country, no custody; defendant in the trial and in a restricted appeal.
    id.inRestrictedCase = await person('in restricted case', { country: null });

    // Defendant in the trial and in an archived case; a witness only (never matched by the event).
    id.inArchivedCase = await person('in archived case', { country: 'KZ' });
    await custody(id.inArchivedCase, 'released', '2022-06-01');
    id.witness = await person('witness', { country: 'KZ' });

    const trial = await createCase(t, {
      title: `Facet trial ${tag}`,
      stage: 'trial',
      visibility: 'public',
      eventId: id.event,
      charges: [{ article, description: 'organizing mass riots' }],
      participants: [
        { personId: id.publicPerson, role: 'defendant' },
        { personId: id.laterRestricted, role: 'defendant' },
        { personId: id.restrictedPerson, role: 'defendant' },
        { personId: id.inRestrictedCase, role: 'defendant' },
        { personId: id.inArchivedCase, role: 'defendant' },
        { personId: id.witness, role: 'witness' },
      ],
    });
    const appeal = await createCase(t, {
      title: `Facet restricted appeal ${tag}`,
      stage: 'appeal',
      eventId: id.event,
      visibility: 'restricted',
      charges: [{ article: otherArticle, description: 'calls to seize power' }],
      participants: [{ personId: id.inRestrictedCase, role: 'defendant' }],
    });
    // Hearings: the trial's in 20 days, the restricted appeal's in 5 (seen by admins only).
    await createHearing(t, trial.id, { startsAt: new Date(Date.now() + 20 * DAY).toISOString() });
    await createHearing(t, appeal.id, { startsAt: new Date(Date.now() + 5 * DAY).toISOString() });
    const archived = await createCase(t, {
      title: `Facet archived case ${tag}`,
      stage: 'closed',
      eventId: id.event,
      charges: [{ article: otherArticle, description: 'archived charge' }],
      participants: [{ personId: id.inArchivedCase, role: 'defendant' }],
    });
    await t.admin.delete(`/api/v1/cases/${archived.id}`).set('If-Match', `"${archived.version}"`).expect(204);

    id.changing = await person('changing', { country: 'AM' });
    await createCase(t, {
      title: `Facet custody changes ${tag}`,
      stage: 'investigation',
      eventId: id.changingEvent,
      participants: [{ personId: id.changing, role: 'defendant' }],
    });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('agree with the filtered list', () => {
    const queries = (): Query[] => [
      { eventId: id.event },
      { eventId: id.event, status: 'arrested' },
      { eventId: id.event, status: 'imprisoned,house-arrest' },
      { eventId: id.event, country: 'KZ' },
      { eventId: id.event, stage: 'trial' },
      { eventId: id.event, stage: 'appeal' },
      { eventId: id.event, visibility: 'public' },
      { article },
      { article: otherArticle },
      { article: `${article},${otherArticle}`, status: 'pretrial-detention,arrested' },
      // With the name search: every name of this file's persons carries the tag.
      { q: tag },
      { q: tag, country: 'KZ', stage: 'trial' },
      { q: tag, hearingWithinDays: 7 },
      { eventId: id.event, hearingWithinDays: 30 },
    ];

    it('for every reader and filter: total, statuses, countries and stages of all pages', async () => {
      const found = await list(t.admin, { q: tag });
      expect(found.items.length).toBeGreaterThanOrEqual(7);
      for (const [name, client] of Object.entries(readers())) {
        for (const query of queries()) {
          const { items, facets } = await list(client, query);
          expect({ name, query, facets }).toEqual({ name, query, facets: await expectedFacets(client, items) });
        }
      }
    });

    it('count a hearing within N days only for readers who may see it', async () => {
      const soon = { q: tag, hearingWithinDays: 7 };
      expect((await list(t.admin, soon)).items.map((p) => p.id)).toEqual([id.inRestrictedCase]);
      expect((await list(t.viewer, soon)).facets.total).toBe(0);
      expect((await list(t.viewer, { q: tag, hearingWithinDays: 30 })).facets.total).toBe(4);
    });

    it('leaves facets out unless asked for, and refuses a value that is not a boolean', async () => {
      const plain = await t.admin.get('/api/v1/persons').query({ eventId: id.event }).expect(200);
      expect(plain.body).not.toHaveProperty('facets');
      const off = await t.admin.get('/api/v1/persons').query({ eventId: id.event, facets: 'false' }).expect(200);
      expect(off.body).not.toHaveProperty('facets');
      const bad = await t.admin.get('/api/v1/persons').query({ facets: 'yes' }).expect(400);
      expect((bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['facets']);
    });
  });

  describe('count nothing restricted for a reader without clearance', () => {
    it('counts restricted persons, later restricted events and restricted cases for admins', async () => {
      const { facets } = await list(t.admin, { eventId: id.event });
      expect(facets).toEqual({
        total: 5,
        status: [
          { key: 'house-arrest', count: 1 },
          { key: 'imprisoned', count: 1 },
          { key: 'pretrial-detention', count: 1 },
          { key: 'released', count: 1 },
          { key: null, count: 1 },
        ],
        country: [
          { key: 'KZ', count: 3 },
          { key: 'KG', count: 1 },
          { key: null, count: 1 },
        ],
        stage: [
          { key: 'trial', count: 5 },
          { key: 'appeal', count: 1 },
        ],
      });
    });

    it('leaves them out for an editor or viewer without a grant', async () => {
      for (const client of [t.editor, t.viewer]) {
        const { facets } = await list(client, { eventId: id.event });
        expect(facets).toEqual({
          // The restricted person is absent; the later restricted event does not change the status.
          total: 4,
          status: [
            { key: 'arrested', count: 1 },
            { key: 'pretrial-detention', count: 1 },
            { key: 'released', count: 1 },
            { key: null, count: 1 },
          ],
          country: [
            { key: 'KZ', count: 2 },
            { key: 'KG', count: 1 },
            { key: null, count: 1 },
          ],
          // Neither the restricted appeal nor the archived case count.
          stage: [{ key: 'trial', count: 4 }],
        });
        // Filtering by what is hidden finds nothing and counts nothing.
        for (const query of [
          { eventId: id.event, status: 'imprisoned' },
          { eventId: id.event, stage: 'appeal' },
          { article: otherArticle },
        ] as Query[]) {
          expect(await list(client, query)).toEqual({
            items: [],
            facets: { total: 0, status: [], country: [], stage: [] },
          });
        }
      }
    });

    it('counts what a grant opens, and only that', async () => {
      const { facets } = await list(granted.client, { eventId: id.event });
      expect(facets.total).toBe(4);
      expect(facets.status).toContainEqual({ key: 'imprisoned', count: 1 });
      expect(facets.status.map((s) => s.key)).not.toContain('arrested');
      expect(facets.stage).toEqual([{ key: 'trial', count: 4 }]);
    });

    it('counts as a report for the public or an internal audience would see', async () => {
      const count = (reader: Actor, filter: PersonFilter) =>
        facetCounts(
          applyPersonFilters(t.dataSource.manager.createQueryBuilder(PersonEntity, 'person'), filter, reader),
          reader,
        );
      const publicReport = await count(audienceReader('public'), { eventId: id.event });
      expect(publicReport).toEqual({
        total: 1,
        status: [{ key: 'arrested', count: 1 }],
        country: [{ key: 'KZ', count: 1 }],
        stage: [{ key: 'trial', count: 1 }],
      });
      const internalReport = await count(audienceReader('internal'), { eventId: id.event });
      expect(internalReport).toEqual(await list(t.editor, { eventId: id.event }).then((r) => r.facets));
    });
  });

  describe('article', () => {
    const ids = async (client: Client, query: Query) => (await list(client, query)).items.map((p) => p.id);

    it('finds the defendants of visible live cases with a charge under the article', async () => {
      expect(await ids(t.admin, { article })).toEqual([
        id.publicPerson,
        id.laterRestricted,
        id.restrictedPerson,
        id.inRestrictedCase,
        id.inArchivedCase,
      ]);
      // The restricted appeal for admins; the archived case for no one.
      expect(await ids(t.admin, { article: otherArticle })).toEqual([id.inRestrictedCase]);
      expect(await ids(t.editor, { article: otherArticle })).toEqual([]);
      expect(await ids(t.admin, { article: `${otherArticle},${article}` })).toHaveLength(5);
      const repeated = await t.admin
        .get(`/api/v1/persons?article=${encodeURIComponent(otherArticle)}&article=nothing-${tag}`)
        .expect(200);
      expect((repeated.body as { items: PersonSummaryView[] }).items.map((p) => p.id)).toEqual([id.inRestrictedCase]);
    });

    it('must be met by the same case as the other case criteria', async () => {
      expect(await ids(t.admin, { article: otherArticle, stage: 'appeal' })).toEqual([id.inRestrictedCase]);
      expect(await ids(t.admin, { article: otherArticle, stage: 'trial' })).toEqual([]);
      expect(await ids(t.admin, { article, eventId: id.changingEvent })).toEqual([]);
    });

    it('refuses an empty article', async () => {
      const bad = await t.admin.get('/api/v1/persons').query({ article: '' }).expect(400);
      expect((bad.body as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('article');
    });
  });

  describe('stored current status', () => {
    /** What the admin and the editor without a grant are shown, and what the filter and facets say. */
    async function expectStatus(expected: { admin: string | null; editor: string | null }) {
      for (const [name, client] of [
        ['admin', t.admin],
        ['editor', t.editor],
      ] as const) {
        const file = (await client.get(`/api/v1/persons/${id.changing}`).expect(200)).body as PersonCaseFileView;
        expect({ name, shown: file.currentCustody?.status ?? null }).toEqual({ name, shown: expected[name] });
        const { items, facets } = await list(client, { eventId: id.changingEvent });
        expect({ name, facet: facets.status }).toEqual({ name, facet: [{ key: expected[name], count: 1 }] });
        expect(items.map((p) => p.currentCustody?.status ?? null)).toEqual([expected[name]]);
        if (expected[name]) {
          const matching = await list(client, { eventId: id.changingEvent, status: expected[name] });
          expect({ name, matching: matching.items.map((p) => p.id) }).toEqual({ name, matching: [id.changing] });
        }
      }
      // The stored columns are what the migration's backfill computes from the events.
      const [stored] = await t.dataSource.query<Array<Record<string, string | null>>>(
        `SELECT p.current_status_all, p.current_status_unrestricted, p.current_status_public,
                latest.status_all, latest.status_unrestricted, latest.status_public
           FROM persons p LEFT JOIN (${LATEST_CUSTODY_STATUSES_SQL}) latest ON latest.person_id = p.id
          WHERE p.id = $1`,
        [id.changing],
      );
      expect(stored!.current_status_all).toBe(stored!.status_all);
      expect(stored!.current_status_unrestricted).toBe(stored!.status_unrestricted);
      expect(stored!.current_status_public).toBe(stored!.status_public);
    }

    const correct = async (event: { id: string; version: number }, body: object) =>
      (
        await t.admin
          .patch(`/api/v1/custody-events/${event.id}`)
          .set('If-Match', `"${event.version}"`)
          .send({ ...body, reason: 'facets test correction' })
          .expect(200)
      ).body as { id: string; version: number };

    it('follows append, correction, archive and restore of custody events', async () => {
      await expectStatus({ admin: null, editor: null });

      await custody(id.changing, 'arrested', '2022-01');
      await expectStatus({ admin: 'arrested', editor: 'arrested' });

      let later = await custody(id.changing, 'imprisoned', '2023-01-15', { visibility: 'restricted' });
      await expectStatus({ admin: 'imprisoned', editor: 'arrested' });

      // Corrected to before the arrest, then back after it and no longer restricted.
      later = await correct(later, { from: partial('2021-12-01') });
      await expectStatus({ admin: 'arrested', editor: 'arrested' });
      later = await correct(later, { from: partial('2024'), visibility: 'internal' });
      await expectStatus({ admin: 'imprisoned', editor: 'imprisoned' });
      later = await correct(later, { status: 'restricted-freedom' });
      await expectStatus({ admin: 'restricted-freedom', editor: 'restricted-freedom' });

      await t.admin
        .delete(`/api/v1/custody-events/${later.id}`)
        .set('If-Match', `"${later.version}"`)
        .set('X-Change-Reason', 'facets test: entered by mistake')
        .expect(204);
      await expectStatus({ admin: 'arrested', editor: 'arrested' });

      await t.admin
        .post(`/api/v1/custody-events/${later.id}/restore`)
        .set('X-Change-Reason', 'facets test: it was right')
        .expect(200);
      await expectStatus({ admin: 'restricted-freedom', editor: 'restricted-freedom' });

      // Same first day as the year "2024": the finer date comes after it.
      const released = await custody(id.changing, 'released', '2024-01', { visibility: 'restricted' });
      await expectStatus({ admin: 'released', editor: 'restricted-freedom' });
      await correct(released, { visibility: 'internal' });
      await expectStatus({ admin: 'released', editor: 'released' });
    });
  });

  describe('stored defendant stages', () => {
    /** This file's persons in Georgia: only those made below (`q` narrows the list to this file). */
    const georgians = (): Query => ({ q: tag, country: 'GE' });
    const georgian = {} as Record<'first' | 'second', string>;
    let trial: { id: string; version: number };
    let secret: { id: string; version: number };

    const patchCase = async (c: { id: string; version: number }, body: object) =>
      (await t.admin.patch(`/api/v1/cases/${c.id}`).set('If-Match', `"${c.version}"`).send(body).expect(200)).body as {
        id: string;
        version: number;
      };

    const defendants = (...ids: string[]) => ids.map((personId) => ({ personId, role: 'defendant' }));

    /**
     * The stage facet each reader gets for `georgians()`, which must also agree with the cases
     * each reader sees in the case files; and the stored columns, which must be what the
     * migration's backfill computes from the cases.
     */
    async function expectStages(expected: { admin: Counts; editor: Counts; granted: Counts; public: Counts }) {
      for (const [name, client] of Object.entries(readers())) {
        const { items, facets } = await list(client, georgians());
        expect({ name, facets }).toEqual({ name, facets: await expectedFacets(client, items) });
        const stages = name === 'viewer' ? expected.editor : expected[name as keyof typeof expected];
        expect({ name, stages: facets.stage }).toEqual({ name, stages });
      }
      const count = (reader: Actor) =>
        facetCounts(
          applyPersonFilters(
            t.dataSource.manager.createQueryBuilder(PersonEntity, 'person'),
            { country: 'GE', eventId: id.stagesEvent },
            reader,
          ),
          reader,
        );
      expect((await count(audienceReader('public'))).stage).toEqual(expected.public);
      expect((await count(audienceReader('internal'))).stage).toEqual(expected.editor);
      const stored = await t.dataSource.query<Array<Record<string, number>>>(
        `SELECT p.defendant_stage_bits_all, p.defendant_stage_bits_unrestricted, p.defendant_stage_bits_public,
                COALESCE(s.bits_all, 0) AS bits_all,
                COALESCE(s.bits_unrestricted, 0) AS bits_unrestricted,
                COALESCE(s.bits_public, 0) AS bits_public
           FROM persons p LEFT JOIN (${DEFENDANT_STAGE_BITS_SQL}) s ON s.person_id = p.id
          WHERE p.id = ANY($2::uuid[])`,
        [STAGE_BIT_ORDER, [georgian.first, georgian.second]],
      );
      for (const row of stored) {
        expect(row.defendant_stage_bits_all).toBe(row.bits_all);
        expect(row.defendant_stage_bits_unrestricted).toBe(row.bits_unrestricted);
        expect(row.defendant_stage_bits_public).toBe(row.bits_public);
      }
    }

    it('follow stage changes, defendants added and removed, archive, restore and visibility of cases', async () => {
      id.stagesEvent = (await createEvent(t, { names: [`Facet stages ${tag}`] })).id;
      georgian.first = await person('stages first', { country: 'GE', visibility: 'public' });
      georgian.second = await person('stages second', { country: 'GE', visibility: 'public' });
      await expectStages({ admin: [], editor: [], granted: [], public: [] });

      const created = await createCase(t, {
        title: `Facet stages trial ${tag}`,
        stage: 'investigation',
        visibility: 'public',
        eventId: id.stagesEvent,
        participants: defendants(georgian.first),
      });
      trial = { id: created.id, version: created.version };
      const one = (key: string) => [{ key, count: 1 }];
      await expectStages({
        admin: one('investigation'),
        editor: one('investigation'),
        granted: one('investigation'),
        public: one('investigation'),
      });

      trial = await patchCase(trial, { stage: 'trial' });
      await expectStages({ admin: one('trial'), editor: one('trial'), granted: one('trial'), public: one('trial') });

      // A second defendant, and a witness, who is not counted.
      trial = await patchCase(trial, {
        participants: [...defendants(georgian.first, georgian.second), { personId: id.witness, role: 'witness' }],
      });
      const two = (key: string) => [{ key, count: 2 }];
      await expectStages({ admin: two('trial'), editor: two('trial'), granted: two('trial'), public: two('trial') });

      // A restricted appeal of the second: for admins, and for the editor granted this case.
      const created2 = await createCase(t, {
        title: `Facet stages secret appeal ${tag}`,
        stage: 'appeal',
        visibility: 'restricted',
        eventId: id.stagesEvent,
        participants: defendants(georgian.second),
      });
      secret = { id: created2.id, version: created2.version };
      const trialAndAppeal = [...two('trial'), ...one('appeal')];
      await expectStages({ admin: trialAndAppeal, editor: two('trial'), granted: two('trial'), public: two('trial') });
      await t.admin.post('/api/v1/access-grants').send({ userId: granted.id, caseId: secret.id }).expect(201);
      await expectStages({
        admin: trialAndAppeal,
        editor: two('trial'),
        granted: trialAndAppeal,
        public: two('trial'),
      });

      // The restricted case at the stage the second has anyway: each person counts once per stage.
      secret = await patchCase(secret, { stage: 'trial' });
      await expectStages({ admin: two('trial'), editor: two('trial'), granted: two('trial'), public: two('trial') });
      secret = await patchCase(secret, { stage: 'appeal' });

      // Internal: no longer counted for reports for the public.
      trial = await patchCase(trial, { visibility: 'internal' });
      await expectStages({ admin: trialAndAppeal, editor: two('trial'), granted: trialAndAppeal, public: [] });

      // The first no longer a defendant: the trial counts the second only.
      trial = await patchCase(trial, { participants: defendants(georgian.second) });
      const appealAndTrial = [...one('appeal'), ...one('trial')];
      await expectStages({ admin: appealAndTrial, editor: one('trial'), granted: appealAndTrial, public: [] });

      await t.admin.delete(`/api/v1/cases/${trial.id}`).set('If-Match', `"${trial.version}"`).expect(204);
      await expectStages({ admin: one('appeal'), editor: [], granted: one('appeal'), public: [] });
      trial = (await t.admin.post(`/api/v1/cases/${trial.id}/restore`).expect(200)).body as typeof trial;
      await expectStages({ admin: appealAndTrial, editor: one('trial'), granted: appealAndTrial, public: [] });

      // The appeal no longer restricted: everyone sees it; public when made public.
      secret = await patchCase(secret, { visibility: 'internal' });
      await expectStages({ admin: appealAndTrial, editor: appealAndTrial, granted: appealAndTrial, public: [] });
      secret = await patchCase(secret, { visibility: 'public' });
      await expectStages({
        admin: appealAndTrial,
        editor: appealAndTrial,
        granted: appealAndTrial,
        public: one('appeal'),
      });
    });
  });
});
