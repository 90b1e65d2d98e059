import { describe, expect, it } from '@jest/globals';
import type { Block, Rows } from '../document.js';
import { INTERNAL_MARKING } from '../labels.js';
import type { CampaignRowData } from '../report-data.js';
import { campaignListFixture } from '../testing/fixtures.js';
import { presentCampaignList } from './campaign-list.js';

async function first(rows: Rows, n: number): Promise<string[][]> {
  const taken: string[][] = [];
  for await (const row of rows) {
    taken.push(row);
    if (taken.length === n) break;
  }
  return taken;
}

const person = (name: string): CampaignRowData => ({
  name,
  otherNames: [],
  country: null,
  status: null,
  statusSince: null,
  place: null,
  charges: [],
  stage: null,
  nextHearing: null,
  sentence: null,
});

function tableOf(blocks: Block[]): Extract<Block, { type: 'table' }> {
  const table = blocks.find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table');
  if (!table) throw new Error('no table');
  return table;
}

describe('presentCampaignList', () => {
  it('titles the list and gives its filter in words', () => {
    const doc = presentCampaignList(campaignListFixture(5));
    expect(doc.title).toBe('Campaign list');
    expect(doc.subtitle).toBe(
      'Filter: country: Kazakhstan; custody status: in pretrial detention, under house arrest, imprisoned',
    );
    const russian = presentCampaignList(campaignListFixture(5, { language: 'ru' }));
    expect(russian.subtitle).toBe(
      'Фильтр: страна: Казахстан; статус: в предварительном заключении, под домашним арестом, в заключении',
    );
    expect(presentCampaignList({ ...campaignListFixture(0), filter: {} }).subtitle).toBe('All persons');
  });

  it('sums up the list: persons, statuses, charges, sentences, hearings soon', () => {
    const doc = presentCampaignList(campaignListFixture(5));
    expect(doc.summary?.rows).toEqual([
      { label: 'Persons', value: '5' },
      { label: 'Status: imprisoned', value: '3' },
      { label: 'Status: under house arrest', value: '1' },
      { label: 'Status: in pretrial detention', value: '1' },
      { label: 'Charge: article 272-2', value: '4' },
      { label: 'Charge: organizing the anti-government riots of January 2022', value: '1' },
      { label: 'Sentences imposed', value: '3' },
      { label: 'Total of sentences imposed', value: '19 years 6 months' },
      { label: 'Longest sentence', value: '7 years 6 months (Һәкім Үсенов)' },
      { label: 'Hearings in the next 30 days', value: '1' },
    ]);
    expect(doc.blocks).toContainEqual({ type: 'fields', rows: doc.summary?.rows });
  });

  it('counts persons with no custody recorded apart from the recorded status unknown', () => {
    const data = campaignListFixture(0);
    data.summary = {
      ...data.summary,
      persons: 5,
      byStatus: [
        { key: 'unknown', count: 2 },
        { key: null, count: 2 },
        { key: 'house-arrest', count: 1 },
      ],
    };
    const statusRows = (language: string) =>
      presentCampaignList({ ...data, meta: { ...data.meta, language } }).summary!.rows.slice(1, 4);
    expect(statusRows('en')).toEqual([
      { label: 'Status: unknown', value: '2' },
      { label: 'Status: no custody recorded', value: '2' },
      { label: 'Status: under house arrest', value: '1' },
    ]);
    expect(statusRows('ru').map((row) => row.label)).toEqual([
      'Статус: неизвестно',
      'Статус не записан',
      'Статус: под домашним арестом',
    ]);
  });

  it('names the mass event of the filter, never its id, and stays neutral when it may not be named', () => {
    const eventId = '6f1c2a52-5d0e-4c39-9a51-0e1f6f0c8a11';
    const data = { ...campaignListFixture(0), filter: { eventId } };
    const named = presentCampaignList({ ...data, eventName: 'January 2022 unrest' });
    expect(named.subtitle).toBe('Filter: mass event: January 2022 unrest');
    const unnamed = presentCampaignList({ ...data, eventName: null });
    expect(unnamed.subtitle).toBe('Filter: mass event (name not shown)');
    const russian = presentCampaignList({ ...data, eventName: null, meta: { ...data.meta, language: 'ru' } });
    expect(russian.subtitle).toBe('Фильтр: массовое событие (название не показано)');
    for (const doc of [named, unnamed, russian]) expect(doc.subtitle).not.toContain(eventId);
  });

  it('writes a row per person: names, status since, place, charges, stage, next hearing in court time', async () => {
    const doc = presentCampaignList(campaignListFixture(5));
    expect(doc.sheet.columns.map((c) => c.label)).toEqual([
      'Name',
      'Status',
      'Place',
      'Charges',
      'Stage',
      'Next hearing',
    ]);
    const [mamay, aliya] = await first(doc.sheet.rows, 2);
    expect(mamay).toEqual([
      'Zhanbolat Mamay (Жанболат Мамай, Dzjanboelat Mamai)',
      'under house arrest since around November 2022',
      'Almaty',
      'organizing the anti-government riots of January 2022; maximum sentence: 10 years',
      'awaiting trial',
      'Tuesday, 8 December 2026, 10:00 (Asia/Almaty, UTC+05:00), Medeu District Court, Almaty, courtroom 4',
    ]);
    expect(aliya[0]).toBe('Әлия Ғабитқызы Қоңырова (Aliya Gabitkyzy Konyrova, Алия Габитовна Конырова)');
    expect(aliya[3]).toBe('participating in mass riots (article 272-2); maximum sentence: 8 years');
  });

  it('writes rows in the language of the report', async () => {
    const doc = presentCampaignList(campaignListFixture(1, { language: 'ru' }));
    const [mamay] = await first(doc.sheet.rows, 1);
    expect(mamay[1]).toBe('под домашним арестом примерно с ноября 2022 г.');
    expect(mamay[3]).toBe('organizing the anti-government riots of January 2022; максимальное наказание: 10 лет');
    expect(mamay[5]).toContain('вторник, 8 декабря 2026 г., 10:00 (Asia/Almaty, UTC+05:00)');
  });

  it('gives the table and the sheet one lazy stream of rows, read once', async () => {
    const doc = presentCampaignList(campaignListFixture(3));
    const table = tableOf(doc.blocks);
    expect(table.rows).toBe(doc.sheet.rows);
    expect(Array.isArray(table.rows)).toBe(false);
    expect(await first(table.rows, 10)).toHaveLength(3);
  });

  it('reads no row while presenting, so an endless list does not hang', async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<CampaignRowData> {
      for (;;) yield person(`Person ${(read += 1)}`);
    }
    const doc = presentCampaignList({ ...campaignListFixture(0), rows: endless() });
    expect(read).toBe(0);
    const rows = await first(doc.sheet.rows, 3);
    expect(rows.map((row) => row[0])).toEqual(['Person 1', 'Person 2', 'Person 3']);
    expect(rows[0].slice(1)).toEqual(['', '', '', '', '']);
  });

  it('marks internal lists and says public ones hold public material only', () => {
    expect(presentCampaignList(campaignListFixture(0, { audience: 'internal' })).marking).toBe(INTERNAL_MARKING);
    const publicList = presentCampaignList(campaignListFixture(0));
    expect(publicList.marking).toBeNull();
    expect(publicList.footer).toContain('only material marked public');
  });
});
