import { expect } from '@jest/globals';
import request from 'supertest';
import type { TestApp } from './test-app.js';

export interface Created {
  id: string;
  version: number;
  [field: string]: unknown;
}

async function post(t: TestApp, path: string, body: object): Promise<Created> {
  const res = await request(t.http).post(path).send(body);
  expect(res.status).toBe(201);
  return res.body as Created;
}

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
    const res = await request(t.http)
      .get(path)
      .query({ ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    const body = res.body as { items: T[]; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}
