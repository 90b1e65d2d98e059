import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type request from 'supertest';
import { collectItems, createCase, createHearing, UNKNOWN_ID } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface HearingItem {
  id: string;
  caseId: string;
  startsAt: string;
  localStartsAt: string;
  status: string;
}

describe('hearings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const newCase = (title: string) => createCase(t, { title, stage: 'trial', country: 'KZ' });

  it('reads local court time in Asia/Almaty with the offset in force on the day (UTC+6 before 1 March 2024, UTC+5 after)', async () => {
    const c = await newCase('Almaty offsets');
    const february = await t.admin
      .post(`/api/v1/cases/${c.id}/hearings`)
      .send({
        startsAt: '2024-02-15T10:00',
        timeZone: 'Asia/Almaty',
        court: 'Almaty City Court',
        courtroom: 'Courtroom 4',
        kind: 'preliminary',
      })
      .expect(201);
    expect(february.body).toMatchObject({
      caseId: c.id,
      version: 1,
      startsAt: '2024-02-15T04:00:00.000Z',
      localStartsAt: '2024-02-15T10:00:00+06:00',
      timeZone: 'Asia/Almaty',
      court: 'Almaty City Court',
      courtroom: 'Courtroom 4',
      kind: 'preliminary',
      status: 'scheduled',
      outcome: null,
      postponedToId: null,
    });

    const march = await createHearing(t, c.id, { startsAt: '2024-03-15T10:00' });
    expect(march).toMatchObject({
      startsAt: '2024-03-15T05:00:00.000Z',
      localStartsAt: '2024-03-15T10:00:00+05:00',
      kind: 'other',
      status: 'scheduled',
    });

    const got = await t.admin.get(`/api/v1/hearings/${february.body.id}`).expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(february.body);
  });

  it("keeps UTC or the court's offset as the instant it names, and refuses another offset", async () => {
    const c = await newCase('Explicit offsets');
    const plus5 = await createHearing(t, c.id, { startsAt: '2024-03-15T10:00:00+05:00' });
    expect(plus5).toMatchObject({ startsAt: '2024-03-15T05:00:00.000Z', localStartsAt: '2024-03-15T10:00:00+05:00' });
    // Almaty's offset before 1 March 2024, out of habit: it would put the hearing at 09:00.
    const plus6 = await t.admin
      .post(`/api/v1/cases/${c.id}/hearings`)
      .send({ startsAt: '2024-03-15T10:00:00+06:00', timeZone: 'Asia/Almaty' })
      .expect(400);
    expect(plus6.body.errors).toEqual([
      {
        field: 'startsAt',
        message:
          'has the offset +06:00, but Asia/Almaty is at +05:00 at that moment: ' +
          "send the court's local time without an offset, or the instant in UTC with Z",
      },
    ]);
    // Moving the hearing to another zone checks the offset against the new zone.
    await t.admin
      .patch(`/api/v1/hearings/${plus5.id}`)
      .set('If-Match', '"1"')
      .send({ startsAt: '2024-03-15T10:00:00+05:00', timeZone: 'Europe/Amsterdam' })
      .expect(400);
    const utc = await createHearing(t, c.id, { startsAt: '2024-02-15T04:00:00Z', timeZone: 'Europe/Amsterdam' });
    expect(utc).toMatchObject({
      startsAt: '2024-02-15T04:00:00.000Z',
      localStartsAt: '2024-02-15T05:00:00+01:00',
      timeZone: 'Europe/Amsterdam',
    });
    // A zone written in another case is stored as the time zone database spells it.
    const lower = await createHearing(t, c.id, { startsAt: '2024-03-15T10:00', timeZone: 'asia/almaty' });
    expect(lower).toMatchObject({ timeZone: 'Asia/Almaty', localStartsAt: '2024-03-15T10:00:00+05:00' });
  });

  it('refuses fixed offsets and unknown zones as timeZone, naming the field', async () => {
    const c = await newCase('Bad zones');
    for (const timeZone of ['+06:00', 'UTC+6', 'Mars/Olympus', '', 6]) {
      const res = await t.admin
        .post(`/api/v1/cases/${c.id}/hearings`)
        .send({ startsAt: '2024-03-15T10:00', timeZone })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { field: 'timeZone', message: 'must be an IANA time zone name such as "Asia/Almaty"' },
      ]);
    }
    const missing = await t.admin
      .post(`/api/v1/cases/${c.id}/hearings`)
      .send({ startsAt: '2024-03-15T10:00' })
      .expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
  });

  it('refuses malformed, impossible and non-existent start times', async () => {
    const c = await newCase('Bad starts');
    for (const startsAt of ['tomorrow', '2024-03-15', '2024-03-15 10:00', '15.03.2024T10:00', 20240315, null]) {
      const res = await t.admin
        .post(`/api/v1/cases/${c.id}/hearings`)
        .send({ startsAt, timeZone: 'Asia/Almaty' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('startsAt');
    }
    // Well-formed, but naming no single instant: 30 February, an offset of +99:99, the DST gap in
    // Amsterdam, and the hour Almaty lived twice when it moved from UTC+6 to UTC+5.
    const ISO = 'must be an ISO 8601 date-time such as 2024-03-15T10:00 or 2024-03-15T10:00:00+05:00';
    for (const [startsAt, timeZone, message] of [
      ['2024-02-30T10:00', 'Asia/Almaty', ISO],
      ['2024-03-15T10:00:00+99:99', 'Asia/Almaty', ISO],
      [
        '2024-03-31T02:30',
        'Europe/Amsterdam',
        'names a local time that does not exist in Europe/Amsterdam (the clocks skipped it)',
      ],
      [
        '2024-02-29T23:30',
        'Asia/Almaty',
        'names a local time that happens twice in Asia/Almaty (at +06:00 and +05:00); add the offset',
      ],
    ]) {
      const res = await t.admin.post(`/api/v1/cases/${c.id}/hearings`).send({ startsAt, timeZone }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'startsAt', message }]);
    }
    // With the offset, the second 23:30 of 29 February is accepted.
    const second = await t.admin
      .post(`/api/v1/cases/${c.id}/hearings`)
      .send({ startsAt: '2024-02-29T23:30+05:00', timeZone: 'Asia/Almaty' })
      .expect(201);
    expect(second.body).toMatchObject({
      startsAt: '2024-02-29T18:30:00.000Z',
      localStartsAt: '2024-02-29T23:30:00+05:00',
    });
    await t.admin.delete(`/api/v1/hearings/${second.body.id}`).set('If-Match', `"${second.body.version}"`).expect(204);
    expect(await collectItems(t, `/api/v1/cases/${c.id}/hearings`)).toEqual([]);
  });

  it('answers 404 for a hearing in an unknown case, and for unknown hearings', async () => {
    const res = await t.admin
      .post(`/api/v1/cases/${UNKNOWN_ID}/hearings`)
      .send({ startsAt: '2024-03-15T10:00', timeZone: 'Asia/Almaty' })
      .expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.admin.get(`/api/v1/cases/${UNKNOWN_ID}/hearings`).expect(404);
    await t.admin.get(`/api/v1/hearings/${UNKNOWN_ID}`).expect(404);
    await t.admin.patch(`/api/v1/hearings/${UNKNOWN_ID}`).set('If-Match', '"1"').send({ status: 'held' }).expect(404);
    const malformed = await t.admin.get('/api/v1/hearings/not-a-uuid').expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('lists hearings in a time window (from inclusive, to exclusive) in time order, by case and status, with cursors', async () => {
    const a = await newCase('Listed hearings A');
    const b = await newCase('Listed hearings B');
    // Created out of time order; two start at the same instant (ties go by recording order).
    const h = {
      a3: await createHearing(t, a.id, { startsAt: '2031-05-03T10:00' }),
      a1: await createHearing(t, a.id, { startsAt: '2031-05-01T10:00' }),
      b2: await createHearing(t, b.id, { startsAt: '2031-05-02T09:00', timeZone: 'Europe/Amsterdam' }),
      a2: await createHearing(t, a.id, { startsAt: '2031-05-02T12:00', status: 'postponed' }),
      aTie: await createHearing(t, a.id, { startsAt: '2031-05-02T07:00:00Z' }),
      before: await createHearing(t, a.id, { startsAt: '2031-04-30T23:59:59Z' }),
      atTo: await createHearing(t, a.id, { startsAt: '2031-05-04T00:00:00Z' }),
    };
    // In UTC: a1 05:00 on the 1st; b2 07:00, aTie 07:00 and a2 07:00 on the 2nd; a3 05:00 on the 3rd.
    expect(h.b2.startsAt).toBe('2031-05-02T07:00:00.000Z');
    expect(h.a2.startsAt).toBe('2031-05-02T07:00:00.000Z');
    const window = { from: '2031-05-01T05:00:00Z', to: '2031-05-04T00:00:00Z' };

    const all = await collectItems<HearingItem>(t, '/api/v1/hearings', window);
    for (const item of all) {
      expect(item.startsAt >= '2031-05-01T05:00:00.000Z' && item.startsAt < '2031-05-04T00:00:00.000Z').toBe(true);
    }
    expect(all.map((x) => x.startsAt)).toEqual([...all.map((x) => x.startsAt)].sort());
    const mine = new Set([a.id, b.id]);
    expect(all.filter((x) => mine.has(x.caseId)).map((x) => x.id)).toEqual([
      h.a1.id,
      h.b2.id,
      h.a2.id,
      h.aTie.id,
      h.a3.id,
    ]);

    const ofA = await collectItems<HearingItem>(t, '/api/v1/hearings', { ...window, caseId: a.id });
    expect(ofA.map((x) => x.id)).toEqual([h.a1.id, h.a2.id, h.aTie.id, h.a3.id]);
    const postponed = await collectItems<HearingItem>(t, '/api/v1/hearings', { caseId: a.id, status: 'postponed' });
    expect(postponed.map((x) => x.id)).toEqual([h.a2.id]);
    const fromOnly = await collectItems<HearingItem>(t, '/api/v1/hearings', {
      caseId: a.id,
      from: '2031-05-03T05:00:00.000Z',
    });
    expect(fromOnly.map((x) => x.id)).toEqual([h.a3.id, h.atTo.id]);
    const toOnly = await collectItems<HearingItem>(t, '/api/v1/hearings', { caseId: a.id, to: '2031-05-01T05:00:00Z' });
    expect(toOnly.map((x) => x.id)).toEqual([h.before.id]);

    // Pages of one across the tie at 07:00 on the 2nd: nothing repeated, nothing skipped.
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await t.admin
        .get('/api/v1/hearings')
        .query({ caseId: a.id, limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      paged.push(res.body.items[0].id);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(paged).toEqual([h.before.id, h.a1.id, h.a2.id, h.aTie.id, h.a3.id, h.atTo.id]);

    const ofCase = await collectItems<HearingItem>(t, `/api/v1/cases/${b.id}/hearings`);
    expect(ofCase.map((x) => x.id)).toEqual([h.b2.id]);
    expect(ofCase[0]).toMatchObject({ localStartsAt: '2031-05-02T09:00:00+02:00' });

    const bad = await t.admin
      .get('/api/v1/hearings')
      .query({ from: 'yesterday', to: '2031-13-01', caseId: 'x', status: 'adjourned' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseId', 'from', 'status', 'to']);
    await t.admin.get('/api/v1/hearings').query({ cursor: 'garbage' }).expect(400);
    // Without an offset, a time would be read in the server's zone, a date as midnight UTC: refused.
    for (const from of ['2031-05-01T05:00', '2031-05-01']) {
      const local = await t.admin.get('/api/v1/hearings').query({ from }).expect(400);
      expect(local.body.errors.map((e: { field: string }) => e.field)).toEqual(['from']);
    }
  });

  it('moves a hearing, reading a new local start in its stored zone', async () => {
    const c = await newCase('Moved hearing');
    const hearing = await createHearing(t, c.id, { startsAt: '2024-02-15T10:00' });
    const moved = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', '"1"')
      .send({ startsAt: '2024-03-15T10:00', courtroom: 'Courtroom 7' })
      .expect(200);
    expect(moved.headers.etag).toBe('"2"');
    expect(moved.body).toMatchObject({
      version: 2,
      startsAt: '2024-03-15T05:00:00.000Z',
      localStartsAt: '2024-03-15T10:00:00+05:00',
      timeZone: 'Asia/Almaty',
      courtroom: 'Courtroom 7',
    });
    // A new zone with a new local time reads the time in the new zone.
    const relocated = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${moved.body.version}"`)
      .send({ startsAt: '2024-03-15T10:00', timeZone: 'Europe/Amsterdam' })
      .expect(200);
    expect(relocated.body).toMatchObject({
      startsAt: '2024-03-15T09:00:00.000Z',
      localStartsAt: '2024-03-15T10:00:00+01:00',
      timeZone: 'Europe/Amsterdam',
    });
    const gap = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${relocated.body.version}"`)
      .send({ startsAt: '2024-03-31T02:30' })
      .expect(400);
    expect(gap.body.errors.map((e: { field: string }) => e.field)).toEqual(['startsAt']);
    const badZone = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${relocated.body.version}"`)
      .send({ timeZone: '+06:00' })
      .expect(400);
    expect(badZone.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
    // A new zone alone would move either the instant or the court's local time: it needs startsAt.
    const zoneOnly = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${relocated.body.version}"`)
      .send({ timeZone: 'Asia/Almaty' })
      .expect(400);
    expect(zoneOnly.body.errors).toEqual([
      {
        field: 'startsAt',
        message:
          "is required when timeZone changes: send the hearing's time in Asia/Almaty (or the instant with Z), " +
          'so that it cannot move by accident',
      },
    ]);
    // The zone it has already is no change.
    await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${relocated.body.version}"`)
      .send({ timeZone: 'europe/amsterdam', courtroom: 'Courtroom 8' })
      .expect(200);

    const stale = await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', '"1"')
      .send({ status: 'cancelled' })
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 4 });
    const now = await t.admin.get(`/api/v1/hearings/${hearing.id}`).expect(200);
    expect(now.body).toMatchObject({ version: 4, status: 'scheduled', startsAt: '2024-03-15T09:00:00.000Z' });
  });

  it('postpones a hearing to another hearing of the same case only', async () => {
    const c = await newCase('Postponed hearing');
    const other = await newCase('Another case');
    const first = await createHearing(t, c.id, { startsAt: '2024-04-01T10:00' });
    const second = await createHearing(t, c.id, { startsAt: '2024-04-15T10:00' });
    const elsewhere = await createHearing(t, other.id, { startsAt: '2024-04-20T10:00' });

    const postponed = await t.admin
      .patch(`/api/v1/hearings/${first.id}`)
      .set('If-Match', `"${first.version}"`)
      .send({ status: 'postponed', postponedToId: second.id })
      .expect(200);
    expect(postponed.body).toMatchObject({ status: 'postponed', postponedToId: second.id, version: 2 });

    const toItself = await t.admin
      .patch(`/api/v1/hearings/${second.id}`)
      .set('If-Match', `"${second.version}"`)
      .send({ status: 'postponed', postponedToId: second.id })
      .expect(400);
    expect(toItself.body.errors).toEqual([
      { field: 'postponedToId', message: 'a hearing cannot be postponed to itself' },
    ]);
    // Ids are the same ids in any case: upper-case does not slip past the check.
    const toItselfUpper = await t.admin
      .patch(`/api/v1/hearings/${second.id.toUpperCase()}`)
      .set('If-Match', `"${second.version}"`)
      .send({ status: 'postponed', postponedToId: second.id.toUpperCase() })
      .expect(400);
    expect(toItselfUpper.body.errors).toEqual([
      { field: 'postponedToId', message: 'a hearing cannot be postponed to itself' },
    ]);
    // Back to the hearing postponed to it: a loop.
    const loop = await t.admin
      .patch(`/api/v1/hearings/${second.id}`)
      .set('If-Match', `"${second.version}"`)
      .send({ status: 'postponed', postponedToId: first.id })
      .expect(400);
    expect(loop.body.errors).toEqual([
      { field: 'postponedToId', message: 'names a hearing postponed (in the end) to this one: a loop' },
    ]);
    const toOtherCase = await t.admin
      .patch(`/api/v1/hearings/${second.id}`)
      .set('If-Match', `"${second.version}"`)
      .send({ status: 'postponed', postponedToId: elsewhere.id })
      .expect(400);
    expect(toOtherCase.body.errors).toEqual([
      { field: 'postponedToId', message: 'must be a hearing of the same case' },
    ]);
    const toUnknown = await t.admin
      .patch(`/api/v1/hearings/${second.id}`)
      .set('If-Match', `"${second.version}"`)
      .send({ postponedToId: UNKNOWN_ID })
      .expect(400);
    expect(toUnknown.body.errors).toEqual([{ field: 'postponedToId', message: `no hearing with id ${UNKNOWN_ID}` }]);
    const onCreate = await t.admin
      .post(`/api/v1/cases/${c.id}/hearings`)
      .send({ startsAt: '2024-04-02T10:00', timeZone: 'Asia/Almaty', postponedToId: elsewhere.id })
      .expect(400);
    expect(onCreate.body.errors.map((e: { field: string }) => e.field)).toEqual(['postponedToId']);

    const unchanged = await t.admin.get(`/api/v1/hearings/${second.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'scheduled', postponedToId: null, version: 1 });
  });

  it("takes an archived case's hearings out of lists and answers 404 for them, until the case is restored", async () => {
    const c = await newCase('Archived with its hearings');
    const hearing = await createHearing(t, c.id, { startsAt: '2032-01-15T10:00' });
    await t.admin.delete(`/api/v1/cases/${c.id}`).set('If-Match', `"${c.version}"`).expect(204);
    await t.admin.get(`/api/v1/hearings/${hearing.id}`).expect(404);
    await t.admin
      .patch(`/api/v1/hearings/${hearing.id}`)
      .set('If-Match', `"${hearing.version}"`)
      .send({ status: 'held' })
      .expect(404);
    await t.admin.get(`/api/v1/cases/${c.id}/hearings`).expect(404);
    expect(await collectItems(t, '/api/v1/hearings', { caseId: c.id })).toEqual([]);
    const window = await collectItems<HearingItem>(t, '/api/v1/hearings', {
      from: '2032-01-15T00:00:00Z',
      to: '2032-01-16T00:00:00Z',
    });
    expect(window.map((x) => x.id)).not.toContain(hearing.id);

    await t.admin.post(`/api/v1/cases/${c.id}/restore`).expect(200);
    await t.admin.get(`/api/v1/hearings/${hearing.id}`).expect(200);
    expect((await collectItems<HearingItem>(t, '/api/v1/hearings', { caseId: c.id })).map((x) => x.id)).toEqual([
      hearing.id,
    ]);
  });

  it('archives a hearing entered by mistake: gone from lists and from the next hearing, until restored', async () => {
    const c = await newCase('Mistaken hearing');
    const mistake = await createHearing(t, c.id, { startsAt: '2033-05-01T10:00' });
    const real = await createHearing(t, c.id, { startsAt: '2033-06-01T10:00' });
    expect((await t.admin.get(`/api/v1/cases/${c.id}`).expect(200)).body.nextHearing.id).toBe(mistake.id);

    await t.admin.delete(`/api/v1/hearings/${mistake.id}`).set('If-Match', '"7"').expect(412);
    await t.admin.delete(`/api/v1/hearings/${mistake.id}`).set('If-Match', '"1"').expect(204);
    await t.admin.get(`/api/v1/hearings/${mistake.id}`).expect(404);
    await t.admin.delete(`/api/v1/hearings/${mistake.id}`).set('If-Match', '"2"').expect(404);
    expect((await collectItems<HearingItem>(t, '/api/v1/hearings', { caseId: c.id })).map((x) => x.id)).toEqual([
      real.id,
    ]);
    expect((await t.admin.get(`/api/v1/cases/${c.id}`).expect(200)).body.nextHearing.id).toBe(real.id);

    const restored = await t.admin.post(`/api/v1/hearings/${mistake.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ id: mistake.id, status: 'scheduled', version: 3 });
    expect((await collectItems<HearingItem>(t, '/api/v1/hearings', { caseId: c.id })).map((x) => x.id)).toEqual([
      mistake.id,
      real.id,
    ]);
    await t.admin.post(`/api/v1/hearings/${UNKNOWN_ID}/restore`).expect(404);
  });
});
