import { describe, expect, it } from '@jest/globals';
import { detectDelimiter, ImportFileError, sniffFormat } from '../file/sniff.js';
import { cellText } from '../file/read-rows.js';
import { resolveHeader } from './columns.js';
import { detectScript, parseRow, readPartialDate } from './row-parser.js';

const COLUMNS = [
  'external_id',
  'name',
  'name_cyrillic',
  'other_names',
  'birth_year',
  'country',
  'custody_status',
  'custody_since',
  'place',
  'case_title',
  'charges',
  'charge_articles',
  'stage',
  'next_hearing_at',
  'hearing_time_zone',
  'court',
  'visibility',
  'source',
];
const { header } = resolveHeader(COLUMNS, 1);

/** A row from values by column name. */
function row(values: Record<string, string>, number = 2) {
  return parseRow(header, { row: number, cells: COLUMNS.map((c) => values[c] ?? '') });
}

const MAMAY = {
  external_id: 'kz-0001',
  name: 'Zhanbolat Mamay',
  name_cyrillic: 'Жанболат Мамай',
  other_names: 'Dzjanboelat Mamai; Zhanbolat Mamai',
  birth_year: '1988',
  country: 'kz',
  custody_status: 'House arrest',
  custody_since: '~2022-11',
  place: 'Almaty',
  case_title: 'Prosecution of Zhanbolat Mamay',
  charges: 'spreading knowingly false information; organising mass unrest',
  stage: 'trial',
  next_hearing_at: '2024-03-15 10:00',
  hearing_time_zone: 'Asia/Almaty',
  court: 'Almaty City Court',
  visibility: 'Public',
  source: 'https://rus.azattyq.org/a/31234567.html',
};

describe('resolveHeader', () => {
  it('matches column names whatever their case, spaces or hyphens, in any order', () => {
    const resolved = resolveHeader([' Name ', 'Birth year', 'custody-status', 'EXTERNAL_ID', ''], 1);
    expect(resolved.problems).toEqual([]);
    expect(resolved.header).toEqual(['name', 'birth_year', 'custody_status', 'external_id', null]);
  });

  it('refuses unknown and repeated columns and a missing name column, naming row 1 and the column', () => {
    const { problems } = resolveHeader(['full_name', 'birth_yaer', 'country', 'Country'], 1);
    expect(problems).toEqual([
      { row: 1, column: 'full_name', message: expect.stringContaining('unknown column') },
      { row: 1, column: 'birth_yaer', message: expect.stringContaining('unknown column') },
      { row: 1, column: 'country', message: 'is named twice in the header' },
      { row: 1, column: 'name', message: 'required column missing from the header' },
    ]);
  });
});

describe('parseRow', () => {
  it('reads a full row with Latin and Cyrillic names, lists, a partial date and a local hearing time', () => {
    const result = row(MAMAY);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const parsed = result.row;
    expect(parsed.externalId).toBe('kz-0001');
    expect(parsed.person.names).toEqual([
      { value: 'Zhanbolat Mamay', script: 'Latn', preferred: true },
      { value: 'Жанболат Мамай', script: 'Cyrl', preferred: false },
      { value: 'Dzjanboelat Mamai', script: 'Latn', preferred: false },
      { value: 'Zhanbolat Mamai', script: 'Latn', preferred: false },
    ]);
    expect(parsed.person.country).toBe('KZ');
    expect(parsed.person.birthDate).toEqual({ date: '1988', precision: 'year' });
    expect(parsed.birthYear).toBe(1988);
    expect(parsed.visibility).toBe('public');
    expect(parsed.custody).toMatchObject({
      status: 'house-arrest',
      from: { date: '2022-11', precision: 'approximate' },
      place: 'Almaty',
      visibility: 'public',
    });
    expect(parsed.case).toMatchObject({
      title: 'Prosecution of Zhanbolat Mamay',
      stage: 'trial',
      court: 'Almaty City Court',
      charges: [{ description: 'spreading knowingly false information' }, { description: 'organising mass unrest' }],
    });
    // Almaty was UTC+6 until 1 March 2024 and UTC+5 after: 10:00 local is 05:00 UTC.
    expect(parsed.hearing?.startsAt.toISOString()).toBe('2024-03-15T05:00:00.000Z');
    expect(parsed.source).toBe('https://rus.azattyq.org/a/31234567.html');
  });

  it('stores the hearing time zone as the time zone database spells it, whatever its case', () => {
    const result = row({ ...MAMAY, hearing_time_zone: 'asia/almaty' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const parsed = result.row;
    expect(parsed.hearing?.dto.timeZone).toBe('Asia/Almaty');
    expect(parsed.hearing?.startsAt.toISOString()).toBe('2024-03-15T05:00:00.000Z');
  });

  it('gives each charge the article in the same place of charge_articles, and refuses more articles than charges', () => {
    const result = row({ ...MAMAY, charge_articles: 'Art. 274 CC RK;' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.row.case?.charges).toEqual([
      { description: 'spreading knowingly false information', article: 'Art. 274 CC RK' },
      { description: 'organising mass unrest' },
    ]);
    const tooMany = row({ ...MAMAY, charge_articles: 'Art. 274; Art. 272; Art. 174' }, 4);
    expect(tooMany.ok ? [] : tooMany.problems).toEqual([
      { row: 4, column: 'charge_articles', message: 'has 3 entries for 2 charges' },
    ]);
    const tooLong = row({ ...MAMAY, charge_articles: 'A'.repeat(501) }, 5);
    expect(tooLong.ok ? [] : tooLong.problems.map((p) => p.column)).toEqual(['charge_articles']);
    const alone = row({ name: 'Zhanbolat Mamay', charge_articles: 'Art. 274' }, 6);
    expect(alone.ok ? [] : alone.problems.map((p) => p.column)).toContain('charges');
  });

  it('drops the empty entries of charges with the articles in their places (a trailing ;, an empty middle entry)', () => {
    const charges = (values: Record<string, string>, number = 2) => {
      const result = row({ ...MAMAY, ...values }, number);
      return result.ok ? result.row.case?.charges : result.problems;
    };
    expect(charges({ charges: 'Charge A;Charge B;', charge_articles: 'Art. 1;Art. 2;' })).toEqual([
      { description: 'Charge A', article: 'Art. 1' },
      { description: 'Charge B', article: 'Art. 2' },
    ]);
    expect(charges({ charges: 'A;;B', charge_articles: 'x;;y' })).toEqual([
      { description: 'A', article: 'x' },
      { description: 'B', article: 'y' },
    ]);
    expect(charges({ charges: 'A; ;B;', charge_articles: ';;y' })).toEqual([
      { description: 'A' },
      { description: 'B', article: 'y' },
    ]);
    expect(charges({ charges: 'A;B', charge_articles: 'x;y;;' })).toEqual([
      { description: 'A', article: 'x' },
      { description: 'B', article: 'y' },
    ]);
    // An article for an empty charge, or beyond the last one, is a problem.
    expect(charges({ charges: 'A;;B', charge_articles: 'x;y;z' }, 3)).toEqual([
      {
        row: 3,
        column: 'charge_articles',
        message: 'has an article in entry 2, where charges has no charge (an empty entry between ;)',
      },
    ]);
    expect(charges({ charges: 'A;B;', charge_articles: 'x;y;z' }, 4)).toEqual([
      {
        row: 4,
        column: 'charge_articles',
        message: 'has an article in entry 3, where charges has no charge (an empty entry between ;)',
      },
    ]);
    expect(charges({ charges: 'A;;B', charge_articles: 'x;;y;z' }, 5)).toEqual([
      { row: 5, column: 'charge_articles', message: 'has 4 entries for the 3 entries of charges' },
    ]);
  });

  it('needs nothing but a name', () => {
    const result = row({ name: 'Жанболат Мамай' });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.row.person.names).toEqual([{ value: 'Жанболат Мамай', script: 'Cyrl', preferred: true }]);
      expect(result.row.custody).toBeNull();
      expect(result.row.case).toBeNull();
    }
  });

  it('reports every problem of a row with its row number and column, in the API validators own words', () => {
    const result = row(
      {
        ...MAMAY,
        birth_year: '88',
        country: 'Kazakhstan',
        custody_status: 'jailed',
        custody_since: '2022-02-30',
        stage: 'pending',
        hearing_time_zone: '+06:00',
        visibility: 'secret',
      },
      7,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byColumn = Object.fromEntries(result.problems.map((p) => [p.column, p.message]));
    expect(result.problems.every((p) => p.row === 7)).toBe(true);
    expect(Object.keys(byColumn).sort()).toEqual(
      ['birth_year', 'country', 'custody_since', 'custody_status', 'hearing_time_zone', 'stage', 'visibility'].sort(),
    );
    expect(byColumn.custody_status).toContain('house-arrest');
    expect(byColumn.custody_since).toContain('not a valid partial date');
    expect(byColumn.hearing_time_zone).toContain('IANA');
    expect(byColumn.stage).toContain('trial');
  });

  it('refuses a year of birth still to come, as the API refuses such a birthDate', () => {
    for (const birth of ['2999', '~2999', String(new Date().getUTCFullYear() + 1)]) {
      const result = row({ ...MAMAY, birth_year: birth });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toEqual([{ row: 2, column: 'birth_year', message: 'must not be in the future' }]);
    }
    expect(row({ ...MAMAY, birth_year: String(new Date().getUTCFullYear()) }).ok).toBe(true);
  });

  it('says which column another one needs', () => {
    const result = row({ name: 'A Person', custody_status: 'arrested', next_hearing_at: '2024-03-15T10:00' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { row: 2, column: 'custody_since', message: expect.stringContaining('is required with custody_status') },
        { row: 2, column: 'case_title', message: expect.stringContaining('is required with next_hearing_at') },
      ]),
    );
  });

  it('refuses a local hearing time that the clocks skipped or repeated', () => {
    // Almaty moved its clocks back from 24:00 to 23:00 on 29 February 2024.
    const result = row({ ...MAMAY, next_hearing_at: '2024-02-29T23:30' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ column: 'next_hearing_at', message: /happens twice/ });
  });

  it("refuses a hearing time whose offset is not the court's at that moment", () => {
    const result = row({ ...MAMAY, next_hearing_at: '2024-03-15T10:00+06:00' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({
        column: 'next_hearing_at',
        message: /has the offset \+06:00, but Asia\/Almaty is at \+05:00/,
      });
    }
    expect(row({ ...MAMAY, next_hearing_at: '2024-03-15T10:00+05:00' }).ok).toBe(true);
  });

  it('refuses a required name missing, a too long value, and values under a column without a name', () => {
    const missing = row({ country: 'KZ' });
    expect(missing.ok ? [] : missing.problems).toEqual([{ row: 2, column: 'name', message: 'is required' }]);
    const long = row({ name: 'x'.repeat(501) });
    expect(long.ok ? [] : long.problems.map((p) => p.column)).toEqual(['name']);
    const unnamed = parseRow(['name', null], { row: 3, cells: ['A Person', 'stray'] });
    expect(unnamed.ok ? [] : unnamed.problems).toEqual([
      { row: 3, column: '#2', message: 'a value in a column without a name in the header' },
    ]);
  });
});

describe('readPartialDate', () => {
  it('reads the ways people write dates, approximate ones too', () => {
    expect(readPartialDate('2022')).toEqual({ date: '2022', precision: 'year' });
    expect(readPartialDate('2022-3')).toEqual({ date: '2022-03', precision: 'month' });
    expect(readPartialDate('2022-03-15')).toEqual({ date: '2022-03-15', precision: 'day' });
    expect(readPartialDate('15.03.2022')).toEqual({ date: '2022-03-15', precision: 'day' });
    expect(readPartialDate('03.2022')).toEqual({ date: '2022-03', precision: 'month' });
    expect(readPartialDate('~2022-11')).toEqual({ date: '2022-11', precision: 'approximate' });
    expect(readPartialDate('circa 2022')).toEqual({ date: '2022', precision: 'approximate' });
    expect(readPartialDate('March 2022')).toBeNull();
    expect(readPartialDate('2022/03')).toBeNull();
  });
});

describe('file formats', () => {
  it('tells XLSX from CSV by content, and refuses anything else with a reason', () => {
    expect(sniffFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toBe('xlsx');
    expect(sniffFormat(Buffer.from('\ufeffname;country\nЖанболат;KZ\n'))).toBe('csv');
    expect(() => sniffFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toThrow(/xls/);
    // "Жанболат" in Windows-1251.
    expect(() => sniffFormat(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc6, 0xe0, 0xed]))).toThrow(/UTF-8/);
    expect(() => sniffFormat(Buffer.from('%PDF-1.7\n\0\0'))).toThrow(ImportFileError);
    expect(() => sniffFormat(Buffer.alloc(0))).toThrow(/empty/);
  });

  it('reads the delimiter from the header line', () => {
    expect(detectDelimiter('name,country,other_names')).toBe(',');
    expect(detectDelimiter('name;country;"other; names"')).toBe(';');
    expect(detectDelimiter('name')).toBe(',');
  });

  it('reads workbook cells as text, dates as days or wall-clock times', () => {
    expect(cellText(1988)).toBe('1988');
    expect(cellText(new Date(Date.UTC(2022, 2, 15)))).toBe('2022-03-15');
    expect(cellText(new Date(Date.UTC(2024, 2, 15, 10, 0)))).toBe('2024-03-15T10:00');
    expect(cellText({ richText: [{ text: 'Жанболат ' }, { text: 'Мамай' }] })).toBe('Жанболат Мамай');
    expect(cellText({ formula: 'A1', result: 'x' } as never)).toBe('x');
    expect(cellText(null)).toBe('');
  });

  it('knows a name by its script', () => {
    expect(detectScript('Жанболат Мамай')).toBe('Cyrl');
    expect(detectScript('Zhanbolat Mamay')).toBe('Latn');
    expect(detectScript('Жанболат Mamay')).toBeNull();
  });
});
