import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPerson } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * A restricted person's name must not change what readers without clearance find: the search's
 * vocabulary of name words holds every word, restricted persons' too.
 */
describe('name search and restricted names', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const person = (value: string, visibility = 'internal') =>
    createPerson(t, { names: [{ value, script: 'Latn', preferred: true }], country: 'KZ', visibility });

  const found = async (q: string) => {
    const res = await t.viewer.get('/api/v1/persons').query({ q, facets: 'true' }).expect(200);
    const body = res.body as { items: Array<{ id: string }>; facets: { total: number } };
    return { ids: body.items.map((p) => p.id), total: body.facets.total };
  };

  it('finds the same persons by a spelling with two typos whether or not a restricted name is one typo away', async () => {
    // "Tanbulot" is two edits from "Tanbolat" (in the middle: few trigrams in common) and one from
    // the restricted "Tanbulat".
    const shown = await person('Tanbolat Leakcheck');
    const before = await found('Tanbulot');
    expect(before.ids).toEqual([shown.id]);
    await person('Tanbulat Hidden', 'restricted');
    expect(await found('Tanbulot')).toEqual(before);
    expect(await found('Tanbulat Hidden')).toEqual({ ids: [], total: 0 });
  });
});
