import { describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { INTERNAL_MARKING } from '../labels.js';
import { presentCampaignList } from '../present/campaign-list.js';
import { presentDossier } from '../present/dossier.js';
import type { CampaignRowData } from '../report-data.js';
import { campaignListFixture, dossierFixture, writtenBy } from '../testing/fixtures.js';
import { renderHtml } from './html.js';

const html = async (doc: Parameters<typeof renderHtml>[0]) =>
  (await writtenBy((out) => renderHtml(doc, out))).toString('utf8');

const row = (name: string): CampaignRowData => ({
  name,
  otherNames: [],
  country: null,
  status: 'imprisoned',
  statusSince: null,
  place: null,
  charges: [],
  stage: null,
  nextHearing: null,
  sentence: null,
});

describe('renderHtml', () => {
  it('writes a complete printable page in the language of the report', async () => {
    const page = await html(presentDossier(dossierFixture({ language: 'ru' })));
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="ru">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('<title>Журналист под домашним арестом в ожидании суда</title>');
    expect(page).toContain('<h1 class="title">Журналист под домашним арестом в ожидании суда</h1>');
    expect(page).toContain('<h2>Имена</h2>');
    expect(page).toContain('<th scope="col">Статус</th>');
    expect(page).toContain('<dt>Страна</dt><dd>Казахстан</dd>');
    expect(page).toContain('<p class="letter">Dear Prosecutor General,</p>');
    expect(page).toContain('.data thead { display: table-header-group; }');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes every string', async () => {
    const data = dossierFixture();
    data.person.displayName = '<script>alert(1)</script>';
    data.campaign!.headline = 'Free "Zhanbolat" & <b>friends</b>';
    data.sources[0].title = "O'Brien <img src=x onerror=alert(2)>";
    const page = await html(presentDossier(data));
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>friends');
    expect(page).toContain('<dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
    expect(page).toContain('<title>Free &quot;Zhanbolat&quot; &amp; &lt;b&gt;friends&lt;/b&gt;</title>');
    expect(page).toContain('O&#39;Brien &lt;img src=x onerror=alert(2)&gt;');
  });

  it('puts the marking of an internal report at the top and on every printed page', async () => {
    const page = await html(presentDossier(dossierFixture({ audience: 'internal' })));
    expect(page).toContain(`<body>\n<div class="marking" role="note">${INTERNAL_MARKING}</div>`);
    expect(page).toMatch(/@media print \{[^@]*\.marking \{ position: fixed; top: 0;/);
    expect(page).toContain('<footer>Issued by Political Prisoners Watch on 21 November 2026. Internal edition');
  });

  it('has no marking in a public report, and the public footer', async () => {
    const page = await html(presentDossier(dossierFixture()));
    expect(page).not.toContain('<div class="marking"');
    expect(page).not.toContain(INTERNAL_MARKING);
    expect(page).toContain('Public edition: contains only material marked public.</footer>');
  });

  it('writes each row as it arrives', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* rows(): AsyncGenerator<CampaignRowData> {
      yield row('First Person');
      await held;
      yield row('Second Person');
    }
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const done = renderHtml(presentCampaignList({ ...campaignListFixture(0), rows: rows() }), out);
    for (let turn = 0; turn < 100 && !text.includes('First Person'); turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(text).toContain('<td>First Person</td>');
    expect(text).not.toContain('Second Person');
    release();
    await done;
    expect(text).toContain('<td>Second Person</td>');
    expect(text.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('waits for a slow reader instead of buffering the list', async () => {
    let written = 0;
    let mostBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        mostBuffered = Math.max(mostBuffered, slow.writableLength);
        setImmediate(done);
      },
    });
    await renderHtml(presentCampaignList(campaignListFixture(3000)), slow);
    expect(written).toBeGreaterThan(500_000);
    // The head with its style sheet is the largest single chunk, a few kilobytes.
    expect(mostBuffered).toBeLessThan(16 * 1024);
  });
});
