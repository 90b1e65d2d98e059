import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { INTERNAL_MARKING } from '../labels.js';
import { campaignListFixture, dossierFixture, writtenBy } from '../testing/fixtures.js';
import { renderJson } from './json.js';

const json = async (data: Parameters<typeof renderJson>[0]) =>
  JSON.parse((await writtenBy((out) => renderJson(data, out))).toString('utf8')) as Record<string, unknown>;

describe('renderJson', () => {
  it('writes the data of a dossier after its meta and marking', async () => {
    const data = dossierFixture();
    const written = await json(data);
    expect(Object.keys(written).slice(0, 2)).toEqual(['meta', 'marking']);
    expect(written).toEqual({ ...data, marking: null });
  });

  it('marks internal reports in English, whatever their language', async () => {
    expect((await json(dossierFixture({ audience: 'internal', language: 'ru' }))).marking).toBe(INTERNAL_MARKING);
    expect((await json(campaignListFixture(1, { audience: 'internal' }))).marking).toBe(INTERNAL_MARKING);
  });

  it('streams the rows of a campaign list of 10,000 persons, one write per row', async () => {
    const out = new PassThrough();
    let writes = 0;
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => {
      writes += 1;
      chunks.push(chunk);
    });
    const data = campaignListFixture(10_000);
    await renderJson(data, out);
    const written = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(writes).toBeGreaterThan(10_000);
    expect(Object.keys(written)).toEqual(['meta', 'marking', 'filter', 'eventName', 'summary', 'rows']);
    expect(written.meta).toEqual(data.meta);
    expect(written.summary.persons).toBe(10_000);
    expect(written.rows).toHaveLength(10_000);
    expect(written.rows[1].name).toBe('Әлия Ғабитқызы Қоңырова');
    expect(written.rows[9_999].name).toBe('Test Person 9999');
  });

  it('writes an empty list as an empty array', async () => {
    expect((await json(campaignListFixture(0))).rows).toEqual([]);
  });
});
