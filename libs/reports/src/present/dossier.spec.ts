import { describe, expect, it } from '@jest/globals';
import type { Block, ReportDocument } from '../document.js';
import { INTERNAL_MARKING } from '../labels.js';
import { dossierFixture } from '../testing/fixtures.js';
import { presentDossier } from './dossier.js';

/** The blocks under a level-2 heading, up to the next one. */
function section(doc: ReportDocument, title: string): Block[] {
  const start = doc.blocks.findIndex((b) => b.type === 'heading' && b.level === 2 && b.text === title);
  if (start < 0) return [];
  const end = doc.blocks.findIndex((b, i) => i > start && b.type === 'heading' && b.level === 2);
  return doc.blocks.slice(start + 1, end < 0 ? undefined : end);
}

function tables(blocks: Block[]): string[][][] {
  return blocks.flatMap((b) => (b.type === 'table' ? [b.rows as string[][]] : []));
}

function texts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'paragraph' || b.type === 'heading') return [b.text];
    if (b.type === 'list') return b.items;
    if (b.type === 'fields') return b.rows.map((f) => `${f.label}: ${f.value}`);
    return (b.rows as string[][]).map((row) => row.join(' | '));
  });
}

describe('presentDossier', () => {
  const doc = presentDossier(dossierFixture());

  it('generates an Urgent Action headline when the campaign has none', () => {
    expect(doc.title).toBe('Journalist held under house arrest awaiting trial');
    expect(presentDossier(dossierFixture({ language: 'ru' })).title).toBe(
      'Журналист под домашним арестом в ожидании суда',
    );
  });

  it("takes the campaign's headline when it has one", () => {
    const data = dossierFixture();
    data.campaign!.headline = 'Free Zhanbolat Mamay';
    expect(presentDossier(data).title).toBe('Free Zhanbolat Mamay');
  });

  it('names the person in the headline without an occupation, and only the name without custody or open case', () => {
    const data = dossierFixture();
    data.person.occupations = [];
    expect(presentDossier(data).title).toBe('Zhanbolat Mamay held under house arrest awaiting trial');
    data.currentCustody = null;
    data.cases[0].stage = 'closed';
    expect(presentDossier(data).title).toBe('Zhanbolat Mamay');
  });

  it('makes the headline from cases where the person is a defendant, never from one where they are a witness', () => {
    const data = dossierFixture();
    data.cases[0].stage = 'closed';
    data.cases.unshift({
      ...data.cases[0],
      title: 'Prosecution of Marat Zhylanbayev',
      stage: 'trial',
      roles: ['witness'],
    });
    expect(presentDossier(data).title).toBe('Journalist held under house arrest');
    data.cases[1].stage = 'appeal';
    expect(presentDossier(data).title).toBe('Journalist held under house arrest awaiting appeal');
  });

  it('says that the person is not charged in a case where they are not a defendant', () => {
    const data = dossierFixture();
    data.cases.push({
      ...data.cases[0],
      title: 'Prosecution of Marat Zhylanbayev',
      roles: ['witness'],
      pastHearings: [],
      upcomingHearings: [],
    });
    const blocks = section(presentDossier(data), 'Cases');
    const witness = blocks.slice(blocks.findIndex((b) => b.type === 'heading' && b.text.includes('Zhylanbayev')));
    expect(texts(witness).slice(0, 3)).toEqual([
      'Prosecution of Marat Zhylanbayev',
      'Zhanbolat Mamay is not charged in this case (role: witness).',
      'Court: Medeu District Court, Almaty',
    ]);
    expect(texts(witness)).toContain('Role: witness');
    expect(texts(blocks)).not.toContain('Zhanbolat Mamay is not charged in this case (role: defendant).');
    expect(texts(section(doc, 'Cases')).some((text) => text.includes('not charged'))).toBe(false);
    const russian = section(presentDossier({ ...data, meta: { ...data.meta, language: 'ru' } }), 'Дела');
    expect(texts(russian)).toContain('Zhanbolat Mamay не обвиняется по этому делу (роль: свидетель).');
  });

  it('gives the action number, what it follows up and the date of issue', () => {
    expect(doc.subtitle).toBe('Urgent Action UA 07/23, follow-up to UA 31/22, issued 21 November 2026');
    expect(texts(section(doc, 'Summary'))).toEqual(
      expect.arrayContaining(['Action number: UA 07/23', 'Issued by: Political Prisoners Watch']),
    );
  });

  it('lists every spelling of the name, the preferred one first', () => {
    expect(texts(section(doc, 'Names'))).toEqual([
      'Zhanbolat Mamay (Latin, English, preferred spelling)',
      'Жанболат Мамай (Cyrillic, Kazakh)',
      'Dzjanboelat Mamai (Latin, Dutch)',
      'Dzjamboelat Mamai (Latin, Dutch)',
    ]);
  });

  it('says who designated the person, and since when', () => {
    expect(texts(section(doc, 'Designations'))).toEqual([
      'prisoner of conscience (designated by Amnesty International), since March 2023',
    ]);
  });

  it('shows current custody and the timeline with dates as precise as known', () => {
    const blocks = section(doc, 'Custody');
    expect(texts(blocks)).toContain('Current status: under house arrest since around November 2022');
    expect(tables(blocks)[0].map((row) => row.slice(0, 2))).toEqual([
      ['March 2022', 'arrested'],
      ['March 2022', 'in pretrial detention'],
      ['around November 2022', 'under house arrest'],
    ]);
  });

  it('shows the case with its charges and maximum sentence', () => {
    const blocks = section(doc, 'Cases');
    expect(texts(blocks)).toEqual(
      expect.arrayContaining(['Prosecution of Zhanbolat Mamay', 'Stage: awaiting trial', 'Role: defendant']),
    );
    expect(tables(blocks)[0]).toEqual([['', 'organizing the anti-government riots of January 2022', '10 years']]);
  });

  it('shows hearings in the local time of the court, with the offset of the day', () => {
    const [upcoming, past] = tables(section(doc, 'Hearings'));
    expect(upcoming[0][0]).toBe('Tuesday, 8 December 2026, 10:00 (Asia/Almaty, UTC+05:00)');
    expect(upcoming[0][2]).toBe('Medeu District Court, Almaty, courtroom 4');
    expect(past[0][0]).toBe('Tuesday, 20 February 2024, 10:00 (Asia/Almaty, UTC+06:00)');
    expect(past[0]).toContain('House arrest extended.');
  });

  it('lists a postponed hearing still to come among upcoming hearings, with its status', () => {
    const data = dossierFixture();
    const [scheduled] = data.cases[0].upcomingHearings;
    data.cases[0].upcomingHearings = [
      { ...scheduled!, startsAt: '2026-12-01T05:00:00Z', status: 'postponed' },
      scheduled!,
    ];
    const [upcoming, past] = tables(section(presentDossier(data), 'Hearings'));
    expect(upcoming.map((row) => row.slice(0, 2))).toEqual([
      ['Tuesday, 1 December 2026, 10:00 (Asia/Almaty, UTC+05:00)', 'trial hearing (postponed)'],
      ['Tuesday, 8 December 2026, 10:00 (Asia/Almaty, UTC+05:00)', 'trial hearing'],
    ]);
    expect(past).toHaveLength(1);
  });

  it('gives the background, the call to action and the sources', () => {
    expect(texts(section(doc, 'Background'))).toEqual(
      expect.arrayContaining([
        'January 2022 unrest, 2 January 2022 – January 2022',
        'also known as Qandy Qantar, Bloody January, Bloedige januari',
      ]),
    );
    const action = texts(section(doc, 'Take action'));
    expect(action).toEqual(
      expect.arrayContaining([
        'Please send appeals before 15 January 2027.',
        'Dear Prosecutor General,',
        'Pending his release, lift the ban on his use of the internet.',
        'Email: prosecutor-general@example.org',
        'Write in: Russian',
        'Name: Embassy of the Republic of Kazakhstan',
      ]),
    );
    expect(texts(section(doc, 'Sources'))).toContain(
      'NRC, Kazakhstan votes in early parliamentary elections (report), around 19 March 2023',
    );
  });

  it('leaves out sections without facts', () => {
    const data = dossierFixture();
    data.campaign = null;
    data.sources = [];
    const bare = presentDossier(data);
    expect(section(bare, 'Take action')).toEqual([]);
    expect(section(bare, 'Sources')).toEqual([]);
    expect(bare.blocks.some((b) => b.type === 'heading' && b.text === 'Take action')).toBe(false);
  });

  it('marks a public edition in the footer, without marking or internal notes', () => {
    expect(doc.marking).toBeNull();
    expect(doc.footer).toContain('only material marked public');
    expect(doc.footer).toContain('Political Prisoners Watch');
    expect(doc.footer).toContain('21 November 2026');
    expect(section(doc, 'Internal notes')).toEqual([]);
  });

  it('marks an internal edition and shows its notes', () => {
    const internal = presentDossier(dossierFixture({ audience: 'internal' }));
    expect(internal.marking).toBe(INTERNAL_MARKING);
    expect(texts(section(internal, 'Internal notes'))).toEqual([
      'Family asks that the home address is never published. (Case worker, 18 November 2026)',
    ]);
    // A note's date is that of the organisation's time zone (REPORT_TIME_ZONE), not of UTC.
    const late = dossierFixture({ audience: 'internal' });
    late.meta.timeZone = 'Asia/Almaty';
    late.notes[0]!.createdAt = '2026-11-18T20:30:00Z';
    expect(texts(section(presentDossier(late), 'Internal notes'))[0]).toContain('(Case worker, 19 November 2026)');
    const russian = presentDossier(dossierFixture({ audience: 'internal', language: 'ru' }));
    expect(russian.marking).toContain(INTERNAL_MARKING);
    expect(russian.language).toBe('ru');
  });

  it('lists the same facts as section / item / value rows for spreadsheets', () => {
    expect(doc.summary).toBeNull();
    expect(doc.sheet.columns.map((c) => c.label)).toEqual(['Section', 'Item', 'Value']);
    const rows = doc.sheet.rows as string[][];
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Summary', 'Name', 'Zhanbolat Mamay'],
        [
          'Custody',
          'around November 2022',
          'Status: under house arrest; Place: Almaty; Note: May not leave home or use the internet.',
        ],
        ['Cases › Prosecution of Zhanbolat Mamay', 'Court', 'Medeu District Court, Almaty'],
        ['Take action', '', 'Please send appeals before 15 January 2027.'],
      ]),
    );
    expect(rows.every((row) => row.length === 3)).toBe(true);
  });
});
