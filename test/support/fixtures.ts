import request from 'supertest';
import type { TestApp } from './test-app.js';

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

export async function createPerson(t: TestApp, body: object = personBody()): Promise<{ id: string; version: number }> {
  const res = await request(t.http).post('/api/v1/persons').send(body).expect(201);
  return res.body as { id: string; version: number };
}

export async function createCase(t: TestApp, body: object): Promise<{ id: string; version: number }> {
  const res = await request(t.http).post('/api/v1/cases').send(body).expect(201);
  return res.body as { id: string; version: number };
}

/** Walks every page of a list and returns the ids in order. */
export async function collectIds(t: TestApp, path: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await request(t.http)
      .get(path)
      .query({ limit, ...(cursor ? { cursor } : {}) })
      .expect(200);
    const body = res.body as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
