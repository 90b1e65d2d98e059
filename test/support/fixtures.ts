import { expect } from '@jest/globals';
import type { TestApp } from './test-app.js';

/** What a create route answers, as far as the tests need it. */
export interface Created {
  id: string;
  version: number;
  [field: string]: unknown;
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

async function post(t: TestApp, path: string, body: object): Promise<Created> {
  const res = await t.admin.post(path).send(body);
  expect(res.status).toBe(201);
  return res.body as Created;
}

/** A person body with Latin and Cyrillic spellings; `tag` keeps names unique per test. */
export function personBody(tag = '', extra: Record<string, unknown> = {}) {
  return {
    names: [
      { value: `Zhanbolat Mamay${tag}`, script: 'Latn', lang: 'en', preferred: true },
      { value: `Жанболат Мамай${tag}`, script: 'Cyrl', lang: 'kk' },
    ],
    country: 'KZ',
    occupations: ['journalist'],
    ...extra,
  };
}

export const createPerson = (t: TestApp, body: object = personBody()) => post(t, '/api/v1/persons', body);

export const createCase = (t: TestApp, body: object) => post(t, '/api/v1/cases', body);

export const createEvent = (t: TestApp, body: object = {}) =>
  post(t, '/api/v1/events', { names: ['January 2022 unrest', 'Qandy Qantar'], country: 'KZ', ...body });

export const createSource = (t: TestApp, body: object = {}) =>
  post(t, '/api/v1/sources', { publisher: 'NRC', title: 'Kazakhstan after January', ...body });

export const createOrganization = (t: TestApp, body: object = {}) =>
  post(t, '/api/v1/organizations', {
    names: ['Kazakhstan International Bureau for Human Rights'],
    kind: 'ngo',
    ...body,
  });

export const createHearing = (t: TestApp, caseId: string, body: object) =>
  post(t, `/api/v1/cases/${caseId}/hearings`, { timeZone: 'Asia/Almaty', ...body });

/** One record of each kind that has an update route, keyed by the route's path (`custody-events`). */
export type RecordOfEachKind = Record<
  'persons' | 'cases' | 'hearings' | 'custody-events' | 'notes' | 'events' | 'organizations' | 'sources' | 'advocates',
  Created
>;

/**
 * A record of every kind (a person, their case and its hearing, a custody event and a note of the
 * person, a mass event, an organisation, a source, an advocate), for tests that go over every
 * route; `tag` keeps names and the advocate's email unique.
 */
export async function recordOfEachKind(t: TestApp, tag: string): Promise<RecordOfEachKind> {
  const person = await createPerson(t, personBody(` ${tag}`));
  const kase = await createCase(t, {
    title: `Case of ${tag}`,
    stage: 'trial',
    participants: [{ personId: person.id, role: 'defendant' }],
  });
  return {
    persons: person,
    cases: kase,
    hearings: await createHearing(t, kase.id, { startsAt: '2031-03-15T10:00' }),
    'custody-events': await post(t, `/api/v1/persons/${person.id}/custody-events`, {
      status: 'arrested',
      from: { date: '2022-03', precision: 'month' },
      place: 'Almaty',
    }),
    notes: await post(t, `/api/v1/persons/${person.id}/notes`, { body: `A note on ${tag}` }),
    events: await createEvent(t, { names: [`Unrest of ${tag}`] }),
    organizations: await createOrganization(t),
    sources: await createSource(t),
    advocates: await post(t, '/api/v1/advocates', {
      name: 'Aigerim Tleuzhan',
      email: `${tag.replace(/\W+/g, '-')}-${process.pid}@example.org`,
      timeZone: 'Asia/Almaty',
    }),
  };
}

/**
 * How many audit entries carry `reason`: none when the write it was sent with was refused (each
 * write and its entry are committed together).
 */
export async function auditEntriesWithReason(t: TestApp, reason: string): Promise<number> {
  const [row] = await t.dataSource.query<Array<{ n: number }>>(
    'SELECT count(*)::int AS n FROM audit_log WHERE reason = $1',
    [reason],
  );
  return row!.n;
}

/** Walks every page of a list (with extra query parameters) and returns the items in order. */
export async function collectItems<T = Record<string, unknown>>(
  t: TestApp,
  path: string,
  query: Record<string, string | number> = {},
  limit = 100,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.admin.get(path).query({ ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    const body = res.body as { items: T[]; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

/** The ids of every item of a list, in order. */
export async function collectIds(t: TestApp, path: string, limit = 100): Promise<string[]> {
  return (await collectItems<{ id: string }>(t, path, {}, limit)).map((item) => item.id);
}
