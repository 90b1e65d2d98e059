import { describe, expect, it } from '@jest/globals';
import { campaignListFixture, dossierFixture, writtenBy } from '../testing/fixtures.js';
import { renderReport, reportFileName } from './index.js';

function withNames(...names: string[]) {
  const data = dossierFixture();
  data.person.displayName = names[0];
  data.person.names = names.map((value, i) => ({ value, script: null, lang: null, preferred: i === 0 }));
  return data;
}

describe('reportFileName', () => {
  it('names a dossier after the preferred name and the date of issue', () => {
    expect(reportFileName(dossierFixture(), 'pdf')).toBe('zhanbolat-mamay-dossier-2026-11-21.pdf');
    expect(reportFileName(dossierFixture({ audience: 'internal' }), 'docx')).toBe(
      'zhanbolat-mamay-dossier-internal-2026-11-21.docx',
    );
  });

  it('transliterates Cyrillic, Kazakh letters included, and drops accents', () => {
    expect(reportFileName(withNames('Жанболат Мамай'), 'html')).toBe('zhanbolat-mamay-dossier-2026-11-21.html');
    expect(reportFileName(withNames('Әлия Ғабитқызы Қоңырова'), 'csv')).toBe(
      'aliya-gabitkyzy-konyrova-dossier-2026-11-21.csv',
    );
    expect(reportFileName(withNames('ӘҒҚҢӨҰҮҺІ әғқңөұүһі'), 'json')).toBe(
      'agknouuhi-agknouuhi-dossier-2026-11-21.json',
    );
    expect(reportFileName(withNames('Ömer Faruk Gergerlioğlu'), 'pdf')).toBe(
      'omer-faruk-gergerlioglu-dossier-2026-11-21.pdf',
    );
  });

  it('takes another spelling when the preferred one has no letter it can write', () => {
    expect(reportFileName(withNames('伊力哈木·土赫提', 'Ilham Tohti'), 'pdf')).toBe(
      'ilham-tohti-dossier-2026-11-21.pdf',
    );
    expect(reportFileName(withNames('伊力哈木'), 'pdf')).toBe('dossier-2026-11-21.pdf');
  });

  it('names a campaign list by its date', () => {
    expect(reportFileName(campaignListFixture(0), 'xlsx')).toBe('campaign-list-2026-11-21.xlsx');
    expect(reportFileName(campaignListFixture(0, { audience: 'internal' }), 'csv')).toBe(
      'campaign-list-internal-2026-11-21.csv',
    );
  });
});

describe('renderReport', () => {
  it('writes JSON from the data and the other formats from the presented document', async () => {
    const written = async (format: Parameters<typeof renderReport>[1], list = false) =>
      writtenBy((out) => renderReport(list ? campaignListFixture(3) : dossierFixture(), format, out));
    expect(JSON.parse((await written('json')).toString('utf8')).person.displayName).toBe('Zhanbolat Mamay');
    expect((await written('html')).toString('utf8')).toContain('Journalist held under house arrest awaiting trial');
    expect((await written('csv', true)).toString('utf8')).toContain('Name,Status,Place');
    expect((await written('pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await written('docx')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect((await written('xlsx', true)).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
