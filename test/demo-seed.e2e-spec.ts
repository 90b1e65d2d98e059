import { AppConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { DemoDataModule, DemoSeeder } from '#demo-data';
import { EncryptionModule } from '#encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO_FILE = fileURLToPath(new URL('../demo/kazakhstan-2022.json', import.meta.url));

describe('demo data set', () => {
  let t: TestApp;
  let context: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp();
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, DatabaseModule, EncryptionModule, DemoDataModule],
    }).compile();
    context = await moduleRef.init();
  });
  afterAll(async () => {
    await context.close();
    await t.close();
  });

  const demoCounts = async () =>
    (await t.dataSource.query(`
      SELECT (SELECT count(*) FROM persons WHERE external_id LIKE 'demo:%')::int AS persons,
             (SELECT count(*) FROM person_names n JOIN persons p ON p.id = n.person_id
               WHERE p.external_id LIKE 'demo:%')::int AS names,
             (SELECT count(*) FROM custody_events WHERE external_id LIKE 'demo:%')::int AS custody,
             (SELECT count(*) FROM cases WHERE external_id LIKE 'demo:%')::int AS cases,
             (SELECT count(*) FROM case_participants cp JOIN cases c ON c.id = cp.case_id
               WHERE c.external_id LIKE 'demo:%')::int AS participants,
             (SELECT count(*) FROM sources WHERE external_id LIKE 'demo:%')::int AS sources`)) as Array<
      Record<string, number>
    >;

  it('loads twice without creating duplicates', async () => {
    const seeder = context.get(DemoSeeder);
    const first = await seeder.seedFile(DEMO_FILE);
    const afterFirst = await demoCounts();
    const second = await seeder.seedFile(DEMO_FILE);
    const afterSecond = await demoCounts();

    expect(first.existing + first.created).toBe(second.existing);
    expect(second.created).toBe(0);
    expect(afterSecond).toEqual(afterFirst);
    expect(afterFirst[0]).toEqual({ persons: 6, names: 17, custody: 5, cases: 2, participants: 5, sources: 2 });
  });

  it("gives Zhanbolat Mamay's case file: every spelling, house arrest since about November 2022, the charge", async () => {
    const [row] = (await t.dataSource.query(`SELECT id FROM persons WHERE external_id = 'demo:mamay'`)) as Array<{
      id: string;
    }>;
    const res = await t.admin.get(`/api/v1/persons/${row!.id}`).expect(200);
    expect(res.body.displayName).toBe('Zhanbolat Mamay');
    expect(res.body.names.map((n: { value: string }) => n.value)).toEqual([
      'Zhanbolat Mamay',
      'Жанболат Мамай',
      'Dzjanboelat Mamai',
      'Dzjamboelat Mamai',
    ]);
    expect(res.body.currentCustody).toMatchObject({
      status: 'house-arrest',
      since: { date: '2022-11', precision: 'approximate' },
    });
    expect(res.body.custodyHistory.map((e: { status: string }) => e.status)).toEqual([
      'arrested',
      'pretrial-detention',
      'house-arrest',
    ]);
    expect(res.body.designations).toEqual([
      expect.objectContaining({ designation: 'prisoner of conscience', organizationName: 'Amnesty International' }),
    ]);
    expect(res.body.cases).toEqual([
      expect.objectContaining({
        title: 'Prosecution of Zhanbolat Mamay',
        stage: 'awaiting-trial',
        roles: ['defendant'],
        charges: [
          {
            article: null,
            description: 'organizing the anti-government riots of January 2022',
            maxSentence: { years: 10 },
          },
        ],
        nextHearing: null,
      }),
    ]);
  });
});
