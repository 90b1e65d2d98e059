import { describe, expect, it } from '@jest/globals';
import { INTERNAL_MARKING } from '../labels.js';
import { presentCampaignList } from '../present/campaign-list.js';
import { presentDossier } from '../present/dossier.js';
import type { CampaignRowData } from '../report-data.js';
import { campaignListFixture, dossierFixture, writtenBy } from '../testing/fixtures.js';
import { renderCsv } from './csv.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const csv = (doc: Parameters<typeof renderCsv>[0]) => writtenBy((out) => renderCsv(doc, out));

/** The lines after the byte order mark, split at CRLF. */
const lines = (file: Buffer) => file.subarray(BOM.length).toString('utf8').split('\r\n');

async function* namesOf(...names: string[]): AsyncGenerator<CampaignRowData> {
  for (const name of names) {
    yield {
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
    };
  }
}

describe('renderCsv', () => {
  it('starts with a byte order mark and the column labels of the language', async () => {
    const file = await csv(presentDossier(dossierFixture({ language: 'ru' })));
    expect(file.subarray(0, 3).equals(BOM)).toBe(true);
    expect(lines(file)[0]).toBe('Раздел,Пункт,Значение');
    expect(lines(await csv(presentDossier(dossierFixture())))[0]).toBe('Section,Item,Value');
  });

  it('ends every line with CRLF and keeps Cyrillic and Kazakh letters intact', async () => {
    const file = await csv(presentCampaignList(campaignListFixture(4)));
    const text = file.subarray(BOM.length).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines(file)[0]).toBe('Name,Status,Place,Charges,Stage,Next hearing');
    expect(text).toContain('"Zhanbolat Mamay (Жанболат Мамай, Dzjanboelat Mamai)"');
    expect(text).toContain('Іңкәр Ұлықбекқызы Өтегенова (Inkar Ulykbekkyzy Otegenova)');
    expect(lines(file)).toHaveLength(1 + 4 + 1);
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180)', async () => {
    const doc = presentCampaignList({
      ...campaignListFixture(0),
      rows: namesOf('Mamay, Zhanbolat', 'The "journalist"', 'two\nlines', 'plain'),
    });
    const text = (await csv(doc)).subarray(BOM.length).toString('utf8');
    expect(text).toBe(
      [
        'Name,Status,Place,Charges,Stage,Next hearing',
        '"Mamay, Zhanbolat",,,,,',
        '"The ""journalist""",,,,,',
        '"two\nlines",,,,,',
        'plain,,,,,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes cells that a spreadsheet would run as formulas as text', async () => {
    const doc = presentCampaignList({
      ...campaignListFixture(0),
      rows: namesOf('=HYPERLINK("http://example.org")', '+1', '-1', '@SUM(A1)', '\tTab', '\rReturn', 'a=b'),
    });
    const text = (await csv(doc)).subarray(BOM.length).toString('utf8');
    expect(text.split('\r\n').slice(1, -1)).toEqual([
      `"'=HYPERLINK(""http://example.org"")",,,,,`,
      "'+1,,,,,",
      "'-1,,,,,",
      "'@SUM(A1),,,,,",
      "'\tTab,,,,,",
      `"'\rReturn",,,,,`,
      'a=b,,,,,',
    ]);
  });

  it('puts the marking of an internal report on the first line, before the labels', async () => {
    const file = await csv(presentDossier(dossierFixture({ audience: 'internal' })));
    expect(file.subarray(0, 3).equals(BOM)).toBe(true);
    expect(lines(file).slice(0, 2)).toEqual([INTERNAL_MARKING, 'Section,Item,Value']);
    const russian = await csv(presentCampaignList(campaignListFixture(1, { audience: 'internal', language: 'ru' })));
    expect(lines(russian)[0]).toContain(INTERNAL_MARKING);
    expect(lines(russian)[1]).toBe('Имя,Статус,Место,Обвинения,Стадия,Ближайшее заседание');
  });

  it('lists the facts of a dossier as section, item and value', async () => {
    const text = (await csv(presentDossier(dossierFixture()))).toString('utf8');
    expect(text).toContain('\r\nSummary,Name,Zhanbolat Mamay\r\n');
    expect(text).toContain('\r\nCustody,March 2022,Status: arrested; Place: Almaty\r\n');
  });
});
