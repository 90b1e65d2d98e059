import {
  applyPersonFilters,
  findPersonsByName,
  findPersonsByNames,
  applyNameSearch,
  nameKey,
  parseNameQuery,
  PersonEntity,
  type PersonSummaryView,
} from '#case-files';
import type { Actor } from '#common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { RekeySpacingAccents1795260000007 } from '../migrations/1795260000007-RekeySpacingAccents.js';
import { createPerson } from './support/fixtures.js';
import { type Client, createTestApp, type TestApp, type TestUser } from './support/test-app.js';

/**
 * `GET /persons?q=`: search by any spelling of any name, best match first, with the other
 * filters, the reader's visibility and keyset pagination; and `findPersonsByName`.
 */

type Query = Record<string, string | number>;

/** The persons of this file, by handle: a preferred Latin spelling and a Cyrillic one. */
const PERSONS = {
  zhanbolat: { names: ['Zhanbolat Mamay', 'Жанболат Мамай'] },
  mamai: { names: ['Aigul Mamai', 'Айгүл Мамай'] },
  mamayev: { names: ['Serik Mamayev', 'Серік Мамаев'], country: 'KG' },
  zhovtis: { names: ['Yevgeniy Zhovtis', 'Евгений Жовтис'] },
  imanbay: { names: ['Inga Imanbay', 'Инга Иманбай'] },
  kassymkyzy: { names: ['Aigerim Kassymkyzy', 'Айгерім Қасымқызы'] },
  yerlan: { names: ['Yerlan Akhmetov', 'Ерлан Ахметов'] },
  nursultan: { names: ['Nursultan Ualikhanov', 'Нұрсұлтан Уәлиханов'] },
  shyngys: { names: ['Shyngys Kuanyshev', 'Шыңғыс Қуанышев'] },
  shchukina: { names: ['Dariga Shchukina', 'Дарига Щукина'], visibility: 'restricted' },
  abubakr: { names: ['Abu-Bakr Ismailov', 'Абу-Бакр Исмаилов'] },
  ahmad: { names: ['Ahmadjon Karimov', 'Ахмаджон Каримов'] },
} as const;

type Handle = keyof typeof PERSONS;

/** Query → the person it must find first (among this file's persons). */
const FINDS: Array<[string, Handle]> = [
  ['Zhanbolat Mamay', 'zhanbolat'],
  ['zhanbolat mamay', 'zhanbolat'],
  ['Жанболат Мамай', 'zhanbolat'],
  ['Dzjanboelat Mamai', 'zhanbolat'],
  ['Mamai Janbolat', 'zhanbolat'],
  ['Mamay Zhanbolat', 'zhanbolat'],
  ['Žanbolat Mamaj', 'zhanbolat'],
  ['Jañbolat Mamai', 'zhanbolat'],
  ['Жаңболат', 'zhanbolat'],
  ['Zhanbolt Mamy', 'zhanbolat'],
  // Two typos in one long word: "janbulot" is two letters away from "janbolat".
  ['Zhanbulot', 'zhanbolat'],
  ['Zhanbulot Mamay', 'zhanbolat'],
  ['Nursoltun', 'nursultan'],
  ['Zhanbolat Mamay Serikuly', 'zhanbolat'],
  ['Мамай Жанболат Серикулы', 'zhanbolat'],
  ['Zhovtis', 'zhovtis'],
  ['Jevgenij Zjovtis', 'zhovtis'],
  ['Evgeni Jovtis', 'zhovtis'],
  ['Jewgeni Schowtis', 'zhovtis'],
  ['Imanbai Inga', 'imanbay'],
  ['Иманбай', 'imanbay'],
  ['Qasymqyzy Aıgerim', 'kassymkyzy'],
  ['Kassymkysy', 'kassymkyzy'],
  ['Kasymkyzy Ajgerim', 'kassymkyzy'],
  ['Erlan Achmetow', 'yerlan'],
  ['Jerlan Ahmetov', 'yerlan'],
  ['Yrelan Akhmetov', 'yerlan'],
  ['Ахметов', 'yerlan'],
  ['Noersoeltan', 'nursultan'],
  ['Noursoultan Oualikhanov', 'nursultan'],
  ['Nūrsūltan Ualihanov', 'nursultan'],
  ['Tschingis Kuanyschew', 'shyngys'],
  ['Şyñğys Quanyşev', 'shyngys'],
  ['Chyngys Kouanychev', 'shyngys'],
  ['Mamay', 'zhanbolat'],
  ['Mamai', 'mamai'],
  ['Mamayev', 'mamayev'],
  ['Мамаев', 'mamayev'],
  ['Abubakr Ismailov', 'abubakr'],
  ['Abubakr', 'abubakr'],
  ['Abu Bakr', 'abubakr'],
  ['Ismailov Abu Bakr', 'abubakr'],
  ['Abubakir Ismailov', 'abubakr'],
  ['Абубакр Исмаилов', 'abubakr'],
  ['Ahmad-Jon Karimov', 'ahmad'],
  ['Ahmad Jon Karimov', 'ahmad'],
];

describe('person search', () => {
  let t: TestApp;
  /** An editor granted access to the restricted person. */
  let granted: TestUser;
  const id = {} as Record<Handle, string>;
  const handles = new Map<string, Handle>();
  /**
   * Keeps the names of this run apart from persons other runs of this file left behind. Digits
   * only: letters would fold (a leading "e" to "je") and answer the one-letter queries.
   */
  const run = String(randomInt(1e9)).padStart(9, '0');
  /** A name of this run only for each person (a number: a handle would be found by name). */
  const runName = (handle: Handle) => `Search ${run} ${Object.keys(PERSONS).indexOf(handle)}`;

  /**
   * The handles of this file's persons that `client` finds with `query`, in order, walking
   * all pages (the test files share one database: the persons of others are left out).
   */
  async function find(client: Client, query: Query, limit = 100): Promise<Handle[]> {
    const found: Handle[] = [];
    let cursor: string | null = null;
    do {
      const res = await client
        .get('/api/v1/persons')
        .query({ ...query, limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: PersonSummaryView[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      for (const item of body.items) {
        const handle = handles.get(item.id);
        if (handle) found.push(handle);
      }
      cursor = body.nextCursor;
    } while (cursor);
    return found;
  }

  beforeAll(async () => {
    t = await createTestApp();
    granted = await t.createUser('editor', 'Granted searcher');
    for (const [handle, person] of Object.entries(PERSONS) as Array<[Handle, (typeof PERSONS)[Handle]]>) {
      const created = await createPerson(t, {
        names: [
          { value: person.names[0], script: 'Latn', lang: 'en', preferred: true },
          { value: person.names[1], script: 'Cyrl', lang: 'kk' },
          // A name of this run only: the person is this run's, whatever other runs left behind.
          { value: runName(handle), script: 'Latn', note: 'test run' },
        ],
        country: 'country' in person ? person.country : 'KZ',
        visibility: 'visibility' in person ? person.visibility : 'internal',
      });
      id[handle] = created.id;
      handles.set(created.id, handle);
    }
    await t.admin.post('/api/v1/access-grants').send({ userId: granted.id, personId: id.shchukina }).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(FINDS)('finds %s', async (q, expected) => {
    const found = await find(t.admin, { q });
    expect(found[0]).toBe(expected);
  });

  it('ranks the exact spelling first among similar names', async () => {
    const mamay = await find(t.admin, { q: 'Mamay' });
    expect(mamay.slice(0, 3)).toEqual(['zhanbolat', 'mamai', 'mamayev']);
    const mamai = await find(t.admin, { q: 'Mamai' });
    expect(mamai.slice(0, 2)).toEqual(['mamai', 'zhanbolat']);
    // The full name as written beats the names that only fold to the same key ("Mamai Zhanbolat"):
    // every person before this file's has a name spelled exactly so (other files use it too).
    const exactly = (p: PersonSummaryView) => p.names.some((n) => n.value.toLowerCase() === 'zhanbolat mamay');
    const before: PersonSummaryView[] = [];
    let found = false;
    let cursor: string | null = null;
    do {
      const res = await t.admin
        .get('/api/v1/persons')
        .query({ q: 'Zhanbolat Mamay', limit: 100, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: PersonSummaryView[]; nextCursor: string | null };
      const at = body.items.findIndex((p) => p.id === id.zhanbolat);
      before.push(...(at < 0 ? body.items : body.items.slice(0, at)));
      if (at >= 0) found = true;
      cursor = at < 0 ? body.nextCursor : null;
    } while (cursor);
    expect(found).toBe(true);
    expect(before.every(exactly)).toBe(true);
  });

  it('does not find unrelated persons', async () => {
    expect(await find(t.admin, { q: 'Zhovtis' })).toEqual(['zhovtis']);
    expect(await find(t.admin, { q: 'Qasymqyzy' })).toEqual(['kassymkyzy']);
    expect(await find(t.admin, { q: 'Nursultan Ualikhanov' })).toEqual(['nursultan']);
  });

  it('takes % and _ literally, never as wildcards', async () => {
    for (const q of ['%', '_', '%%', '_%_', '\\', "'"]) {
      const res = await t.admin.get('/api/v1/persons').query({ q, limit: 100 }).expect(200);
      expect((res.body as { items: unknown[] }).items).toEqual([]);
    }
    expect(await find(t.admin, { q: 'Zhovtis%' })).toEqual(['zhovtis']);
    expect(await find(t.admin, { q: '%Zhovtis_' })).toEqual(['zhovtis']);
  });

  it('answers one- and two-letter queries with word prefixes', async () => {
    const zh = await find(t.admin, { q: 'Ж' });
    expect(zh).toEqual(expect.arrayContaining(['zhanbolat', 'zhovtis']));
    expect(zh).not.toContain('imanbay');
    const i = await find(t.admin, { q: 'i' });
    expect(i).toEqual(expect.arrayContaining(['imanbay']));
    expect(i).not.toContain('zhovtis');
    const ma = await find(t.admin, { q: 'Ma' });
    expect(ma).toEqual(expect.arrayContaining(['zhanbolat', 'mamai', 'mamayev']));
    expect(ma).not.toContain('kassymkyzy');
    // An exact two-letter spelling is not needed: `%` after one letter is still no wildcard.
    expect(await find(t.admin, { q: 'M%' })).toEqual(await find(t.admin, { q: 'M' }));
  });

  it('answers a 500-character query, and refuses a longer one', async () => {
    const long = 'Zhanbolat Mamay '.repeat(40).slice(0, 500);
    expect(long).toHaveLength(500);
    expect(await find(t.admin, { q: long })).toContain('zhanbolat');
    const noise = Array.from({ length: 500 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz '[(i * 7) % 27]).join('');
    await t.admin.get('/api/v1/persons').query({ q: noise }).expect(200);
    await t.admin
      .get('/api/v1/persons')
      .query({ q: 'ж'.repeat(500) })
      .expect(200);
    const tooLong = await t.admin.get('/api/v1/persons').query({ q: 'a'.repeat(501) });
    expect(tooLong.status).toBe(400);
  });

  it('treats a blank q as no search', async () => {
    const blank = await t.admin.get('/api/v1/persons').query({ q: '   ', limit: 5 }).expect(200);
    const none = await t.admin.get('/api/v1/persons').query({ limit: 5 }).expect(200);
    expect((blank.body as { items: PersonSummaryView[] }).items.map((p) => p.id)).toEqual(
      (none.body as { items: PersonSummaryView[] }).items.map((p) => p.id),
    );
  });

  it('combines q with the other filters', async () => {
    expect(await find(t.admin, { q: 'Mamay', country: 'KG' })).toEqual(['mamayev']);
    expect(await find(t.admin, { q: 'Mamay', country: 'KZ' })).toEqual(['zhanbolat', 'mamai']);
    expect(await find(t.admin, { q: 'Shchukina', visibility: 'internal' })).toEqual([]);
    expect(await find(t.admin, { q: 'Shchukina', visibility: 'restricted' })).toEqual(['shchukina']);
  });

  it('never shows restricted persons to readers without a grant', async () => {
    for (const q of ['Dariga Shchukina', 'Щукина', 'Darıga Şukina', 'Sh', 'Д']) {
      expect(await find(t.viewer, { q })).not.toContain('shchukina');
      expect(await find(t.editor, { q })).not.toContain('shchukina');
    }
    expect((await find(t.admin, { q: 'Darıga Şukina' }))[0]).toBe('shchukina');
    expect((await find(granted.client, { q: 'Dariga Schtschukina' }))[0]).toBe('shchukina');
  });

  it('counts what it finds in the facets, as the reader sees it', async () => {
    for (const [client, sees] of [
      [t.admin, true],
      [t.viewer, false],
    ] as const) {
      const res = await client
        .get('/api/v1/persons')
        .query({ q: runName('shchukina'), facets: 'true', limit: 100 })
        .expect(200);
      const body = res.body as { items: PersonSummaryView[]; facets: { total: number } };
      expect(body.facets.total).toBe(body.items.length);
      expect(body.items.some((p) => p.id === id.shchukina)).toBe(sees);
    }
  });

  it('pages through the results without repeats or gaps', async () => {
    const all = await find(t.admin, { q: 'Mamay' }, 100);
    const paged = await find(t.admin, { q: 'Mamay' }, 2);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
    // A cursor of the `partial` level (one word of two matched, the other too far off).
    const partial = await find(t.admin, { q: 'Mamai Xyz' }, 100);
    expect(partial).toEqual(['mamai', 'zhanbolat']);
    expect(await find(t.admin, { q: 'Mamai Xyz' }, 1)).toEqual(partial);
    // And of the `fuzzy` level (words run together), whose scored names are a materialized CTE,
    // with the facets counting what it finds.
    const fuzzy = await find(t.admin, { q: 'Zhanbolatmamay' }, 100);
    expect(fuzzy[0]).toBe('zhanbolat');
    expect(await find(t.admin, { q: 'Zhanbolatmamay' }, 1)).toEqual(fuzzy);
    // Counted by the facets: a run-together name only this file's persons have (the persons of
    // other test files, created meanwhile, would change the count of "Zhanbolatmamay").
    const counted = await t.admin
      .get('/api/v1/persons')
      .query({ q: `Search${run}`, facets: 'true', limit: 100 })
      .expect(200);
    const body = counted.body as { items: PersonSummaryView[]; facets: { total: number } };
    expect(body.items.map((p) => handles.get(p.id)).sort()).toEqual(Object.keys(PERSONS).sort());
    expect(body.facets.total).toBe(body.items.length);
    // And every person of every page at most once (not only this file's).
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await t.admin
        .get('/api/v1/persons')
        .query({ q: 'Mamai', limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const body = res.body as { items: PersonSummaryView[]; nextCursor: string | null };
      for (const item of body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    const list = await t.admin.get('/api/v1/persons').query({ limit: 1 }).expect(200);
    const listCursor = (list.body as { nextCursor: string }).nextCursor;
    await t.admin.get('/api/v1/persons').query({ q: 'Mamay', cursor: listCursor }).expect(400);
  });

  it('keeps the search keys with the names when they change', async () => {
    const before = (await t.admin.get(`/api/v1/persons/${id.imanbay}`).expect(200)).body as { version: number };
    await t.admin
      .patch(`/api/v1/persons/${id.imanbay}`)
      .set('If-Match', `"${before.version}"`)
      .send({
        names: [
          { value: 'Inga Serikbayeva', script: 'Latn', preferred: true },
          { value: runName('imanbay'), script: 'Latn' },
        ],
        reason: 'married name',
      })
      .expect(200);
    expect((await find(t.admin, { q: 'Серикбаева Инга' }))[0]).toBe('imanbay');
    expect(await find(t.admin, { q: 'Иманбай' })).not.toContain('imanbay');
    const [row] = await t.dataSource.query<Array<{ search_key: string }>>(
      'SELECT search_key FROM person_names WHERE person_id = $1 AND preferred',
      [id.imanbay],
    );
    expect(row!.search_key).toBe(nameKey('Serikbayeva Inga'));
  });

  describe('findPersonsByName', () => {
    const viewer: Actor = { kind: 'user', id: null, role: 'viewer', label: 'search test viewer' };
    const admin: Actor = { kind: 'user', id: null, role: 'admin', label: 'search test admin' };

    it('finds persons by any spelling, best first, with scores', async () => {
      const found = await findPersonsByName(t.dataSource.manager, 'Dzjanboelat Mamai', viewer, { limit: 100 });
      const ours = found.filter((f) => handles.has(f.personId));
      expect(ours[0]!.personId).toBe(id.zhanbolat);
      expect(ours[0]!.score).toBeGreaterThan(0.5);
      expect(found.map((f) => f.score)).toEqual([...found.map((f) => f.score)].sort((a, b) => b - a));
      const exact = await findPersonsByName(t.dataSource.manager, runName('zhanbolat'), viewer);
      expect(exact[0]).toEqual({ personId: id.zhanbolat, score: 2 });
    });

    it('applies minScore and limit, and the reader visibility', async () => {
      const strict = await findPersonsByName(t.dataSource.manager, `Serik Mamayev ${run}`, viewer, { minScore: 0.8 });
      expect(strict.map((f) => f.personId)).not.toContain(id.mamai);
      expect(await findPersonsByName(t.dataSource.manager, 'Mamay', viewer, { limit: 1 })).toHaveLength(1);
      expect(await findPersonsByName(t.dataSource.manager, '%', viewer)).toEqual([]);
      const name = `Dariga Shchukina ${run}`;
      expect((await findPersonsByName(t.dataSource.manager, name, viewer)).map((f) => f.personId)).not.toContain(
        id.shchukina,
      );
      expect((await findPersonsByName(t.dataSource.manager, name, admin))[0]!.personId).toBe(id.shchukina);
    });

    it('answers many names at once, without typos skipping the names that have a word no one has', async () => {
      const names = [
        runName('zhanbolat'),
        `Mamai Janbolat ${run}`,
        `Mamai Janbolat Qwxzy${run}`,
        `Qwxzy${run} Mamai`,
        `Search Qwxzy${run} Vbnmq${run}`,
        '%',
        runName('zhanbolat'),
      ];
      const found = await findPersonsByNames(t.dataSource.manager, names, viewer, {
        typos: false,
        limit: 100,
        concurrency: 3,
      });
      expect([...found.keys()].sort()).toEqual([...new Set(names)].sort());
      const first = (name: string) => found.get(name)!.filter((f) => handles.has(f.personId))[0];
      expect(first(runName('zhanbolat'))).toEqual({ personId: id.zhanbolat, score: 2 });
      // Three words: all but one of them is enough, whether the one left over is a word of some
      // other name (the run's number) or of none.
      expect(first(`Mamai Janbolat ${run}`)!.personId).toBe(id.zhanbolat);
      expect(first(`Mamai Janbolat Qwxzy${run}`)!.personId).toBe(id.zhanbolat);
      expect(found.get(`Qwxzy${run} Mamai`)).toEqual([]);
      expect(found.get(`Search Qwxzy${run} Vbnmq${run}`)).toEqual([]);
      expect(found.get('%')).toEqual([]);
      // With typos (the default), each name is looked up as `findPersonsByName` does.
      const lenient = await findPersonsByNames(t.dataSource.manager, ['Dzjanboelat Mamai', 'Qwxzyvbnmq'], viewer, {
        limit: 100,
        concurrency: 2,
      });
      expect(lenient.get('Dzjanboelat Mamai')!.filter((f) => handles.has(f.personId))[0]!.personId).toBe(id.zhanbolat);
      expect(lenient.get('Qwxzyvbnmq')).toEqual([]);
    });

    it('works inside a transaction', async () => {
      await t.dataSource.transaction(async (manager) => {
        // Other test files store Mamays of their own in the shared database: compare ours only.
        const found = await findPersonsByName(manager, `Mamai Janbolat ${run}`, viewer, { limit: 100 });
        expect(found.filter((f) => handles.has(f.personId))[0]!.personId).toBe(id.zhanbolat);
      });
    });
  });

  describe('in SQL', () => {
    const viewerActor: Actor = { kind: 'user', id: null, role: 'viewer', label: 'search test viewer' };

    it('has a GIN index on the words of the search keys and a trigram GIN index on the keys', async () => {
      const indexes = await t.dataSource.query<Array<{ indexname: string; indexdef: string }>>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'person_names' AND indexname LIKE 'person_names_search%'",
      );
      const def = (name: string) => indexes.find((i) => i.indexname === name)?.indexdef;
      expect(def('person_names_search_key_trgm')).toMatch(/USING gin \(search_key gin_trgm_ops\)/);
      expect(def('person_names_search_words')).toMatch(/USING gin \(string_to_array\(search_key, ' '::text\)\)/);
    });

    it('keeps every word of every stored key in name_words, for inserted and renamed names', async () => {
      const person = (await createPerson(t, {
        names: [{ value: `Qwertyuiop Zxcvbnm${run}`, preferred: true }],
        visibility: 'internal',
      })) as { id: string };
      const words = nameKey(`Qwertyuiop Zxcvbnm${run}`).split(' ');
      const stored = async (list: string[]) =>
        (
          await t.dataSource.query<Array<{ word: string }>>('SELECT word FROM name_words WHERE word = ANY($1)', [list])
        ).map((r) => r.word);
      expect((await stored(words)).sort()).toEqual([...words].sort());
      // Written as the services write a renamed name: value and key in one UPDATE.
      const renamed = nameKey(`Asdfghjkl${run}`);
      await t.dataSource.query('UPDATE person_names SET value = $1, search_key = $2 WHERE person_id = $3', [
        `Asdfghjkl${run}`,
        renamed,
        person.id,
      ]);
      expect(await stored([renamed])).toEqual([renamed]);
      const [missing] = await t.dataSource.query<Array<{ count: number }>>(
        `SELECT CAST(count(*) AS int) AS count FROM person_names, unnest(string_to_array(search_key, ' ')) AS word
          WHERE word <> '' AND NOT EXISTS (SELECT 1 FROM name_words w WHERE w.word = word)`,
      );
      expect(missing!.count).toBe(0);
    });

    it('finds a name written with a spacing accent for its apostrophe, and rekeys the names stored before', async () => {
      const value = `Jan\u00b4bolat Tleuov${run}`;
      const person = (await createPerson(t, { names: [{ value, preferred: true }], visibility: 'internal' })) as {
        id: string;
      };
      const key = nameKey(value);
      expect(key.split(' ')).toContain('janbolat');
      const stored = async () =>
        (
          await t.dataSource.query<Array<{ search_key: string }>>(
            'SELECT search_key FROM person_names WHERE person_id = $1',
            [person.id],
          )
        )[0]!.search_key;
      expect(await stored()).toBe(key);
      const found = async () =>
        (await findPersonsByName(t.dataSource.manager, `Jan'bolat Tleuov${run}`, { ...viewerActor })).map(
          (f) => f.personId,
        );
      expect(await found()).toContain(person.id);
      // As the key was stored before (the accent a space): the migration recomputes it.
      await t.dataSource.query('UPDATE person_names SET search_key = $1 WHERE person_id = $2', [
        `bolat jan tleuov${run}`,
        person.id,
      ]);
      const untouched = nameKey(runName('zhanbolat'));
      const queryRunner = t.dataSource.createQueryRunner();
      try {
        await new RekeySpacingAccents1795260000007().up(queryRunner);
      } finally {
        await queryRunner.release();
      }
      expect(await stored()).toBe(key);
      expect(await found()).toContain(person.id);
      const [other] = await t.dataSource.query<Array<{ search_key: string }>>(
        'SELECT search_key FROM person_names WHERE person_id = $1 AND value = $2',
        [id.zhanbolat, runName('zhanbolat')],
      );
      expect(other!.search_key).toBe(untouched);
    });

    it.each([
      ['Mamay', 'words', 'person_names_search_words'],
      ['Zhanbolt Mamy', 'words', 'person_names_search_words'],
      ['Yrelan Akhmetov', 'partial', 'person_names_search_words'],
      ['Zhanbolatmamay', 'fuzzy', 'person_names_search_key_trgm'],
      [`Search${run}`, 'fuzzy', 'person_names_search_key_trgm'],
      ['Zhanbolat Mamay Serikuly Kassymkyzy', 'fuzzy', 'person_names_search_words'],
      ['M', 'prefix', null],
    ])('answers %s with an index (%s)', async (q, level, index) => {
      const reader: Actor = { kind: 'user', id: granted.id, role: 'editor', label: 'search test editor' };
      const qb = applyPersonFilters(t.dataSource.manager.createQueryBuilder(PersonEntity, 'person'), {}, reader);
      expect((await applyNameSearch(qb, parseNameQuery(q)!)).level).toBe(level);
      const [sql, params] = qb.getQueryAndParameters();
      // The test table is small and its statistics vary: forbid scanning whole tables or indexes
      // to see that the conditions are indexable (the plan a large table gets; see the README).
      const plan = await t.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        await manager.query('SET LOCAL enable_indexscan = off');
        const rows = await manager.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${sql}`, params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      // `prefix` lists by `seq` and probes each person's names (by person id) until the page is full.
      if (index === null) expect(plan).not.toMatch(/Seq Scan on person_names/);
      else expect(plan).toContain(index);
      // `partial` checks the similarity on the names the words index finds, not through the trigram index.
      if (level === 'words' || level === 'partial') expect(plan).not.toContain('person_names_search_key_trgm');
    });
  });
});
