import {
  CASE_STAGES,
  CUSTODY_STATUSES,
  HEARING_KINDS,
  HEARING_STATUSES,
  PARTICIPANT_ROLES,
  VERDICTS,
} from '#case-files';
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { INTERNAL_MARKING, isSupportedLanguage, Labels, labelsFor, SUPPORTED_LANGUAGES } from './labels.js';

const LOCALES = new URL('./locales/', import.meta.url);
const catalogs = Object.fromEntries(
  readdirSync(LOCALES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file.replace('.json', ''), JSON.parse(readFileSync(new URL(file, LOCALES), 'utf8'))]),
) as Record<string, Record<string, string>>;

const en = labelsFor('en');
const ru = labelsFor('ru');

describe('catalogs', () => {
  it('are every JSON file of locales/, English among them', () => {
    expect(SUPPORTED_LANGUAGES).toEqual(Object.keys(catalogs).sort());
    expect(SUPPORTED_LANGUAGES).toEqual(expect.arrayContaining(['en', 'ru']));
    expect(isSupportedLanguage('ru')).toBe(true);
    expect(isSupportedLanguage('xx')).toBe(false);
    expect(isSupportedLanguage(undefined)).toBe(false);
  });

  it.each(Object.keys(catalogs))('%s has every key of en.json (a translator sees what is missing)', (language) => {
    const missing = Object.keys(catalogs.en).filter((key) => !(key in catalogs[language]));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(catalogs))('%s marks internal reports with the English marking', (language) => {
    expect(labelsFor(language).marking('internal')).toContain(INTERNAL_MARKING);
    expect(labelsFor(language).marking('public')).toBeNull();
  });

  it('label every value of the case-file enumerations', () => {
    const keys = [
      ...CUSTODY_STATUSES.flatMap((s) => [`status.${s}`, `headline.status.${s}`]),
      ...CASE_STAGES.flatMap((s) => [`stage.${s}`, `headline.stage.${s}`]),
      ...PARTICIPANT_ROLES.map((r) => `role.${r}`),
      ...VERDICTS.map((v) => `verdict.${v}`),
      ...HEARING_KINDS.map((k) => `hearingKind.${k}`),
      ...HEARING_STATUSES.map((s) => `hearingStatus.${s}`),
    ];
    expect(keys.filter((key) => !(key in catalogs.en))).toEqual([]);
  });

  it('take a key a catalog lacks from English, and plural forms whole', () => {
    const partial = new Labels('test', { locale: 'ru', 'status.arrested': 'задержан(а)' }, catalogs.en);
    expect(partial.status('arrested')).toBe('задержан(а)');
    expect(partial.status('house-arrest')).toBe('under house arrest');
    // English forms with Russian plural rules would give "5 year" ("many" is not an English form).
    expect(partial.term({ years: 5 })).toBe('5 years');
  });

  it('refuse an unknown key and an unsupported language', () => {
    expect(() => en.t('no.such.key')).toThrow('no.such.key');
    expect(() => labelsFor('xx')).toThrow(RangeError);
  });
});

describe('t', () => {
  it('puts values in, numbers in the language', () => {
    expect(en.t('dossier.action', { number: 'UA 07/23' })).toBe('Urgent Action UA 07/23');
    expect(ru.t('summary.longestSentence.value', { term: '7 лет', name: 'Һәкім Үсенов' })).toBe('7 лет (Һәкім Үсенов)');
    expect(ru.number(100000)).toBe(new Intl.NumberFormat('ru').format(100000));
  });
});

describe('partial dates', () => {
  it('are written in English as precisely as they are known', () => {
    expect(en.partialDate({ date: '2022-03-14', precision: 'day' })).toBe('14 March 2022');
    expect(en.partialDate({ date: '2022-03', precision: 'month' })).toBe('March 2022');
    expect(en.partialDate({ date: '2022', precision: 'year' })).toBe('2022');
    expect(en.partialDate({ date: '2022-11', precision: 'approximate' })).toBe('around November 2022');
    expect(en.partialDate({ date: '2023-03-19', precision: 'approximate' })).toBe('around 19 March 2023');
    expect(en.partialDate({ date: '2022', precision: 'approximate' })).toBe('around 2022');
    // Years before 100 are not read as 19xx.
    expect(en.partialDate({ date: '0050', precision: 'year' })).toBe('50');
    expect(en.partialDate({ date: '0050-03', precision: 'month' })).toBe('March 50');
  });

  it('are written in Russian with the month inflected as the phrase needs', () => {
    expect(ru.partialDate({ date: '2022-03-14', precision: 'day' })).toBe('14 марта 2022 г.');
    expect(ru.partialDate({ date: '2022-03', precision: 'month' })).toBe('март 2022 г.');
    expect(ru.partialDate({ date: '2022', precision: 'year' })).toBe('2022 г.');
    expect(ru.partialDate({ date: '2022-11', precision: 'approximate' })).toBe('около ноября 2022 г.');
  });

  it('follow "since" in each language', () => {
    expect(en.since({ date: '2022-03', precision: 'month' })).toBe('since March 2022');
    expect(en.since({ date: '2022-11', precision: 'approximate' })).toBe('since around November 2022');
    expect(ru.since({ date: '2022-03', precision: 'month' })).toBe('с марта 2022 г.');
    expect(ru.since({ date: '2022-11', precision: 'approximate' })).toBe('примерно с ноября 2022 г.');
    expect(ru.since({ date: '2022-03-14', precision: 'day' })).toBe('с 14 марта 2022 г.');
  });

  it('refuse what is not a written date', () => {
    expect(() => en.partialDate({ date: 'March 2022', precision: 'month' })).toThrow(RangeError);
  });
});

describe('dates and times', () => {
  it('write a calendar date', () => {
    expect(en.date('2026-11-21')).toBe('21 November 2026');
    expect(ru.date('2026-11-21')).toBe('21 ноября 2026 г.');
  });

  it('write an instant in the court zone with its offset at that instant (Almaty: UTC+6, then UTC+5)', () => {
    expect(en.dateTime('2024-02-20T04:00:00Z', 'Asia/Almaty')).toBe(
      'Tuesday, 20 February 2024, 10:00 (Asia/Almaty, UTC+06:00)',
    );
    expect(en.dateTime('2024-03-04T05:00:00Z', 'Asia/Almaty')).toBe(
      'Monday, 4 March 2024, 10:00 (Asia/Almaty, UTC+05:00)',
    );
    expect(ru.dateTime('2026-12-08T05:00:00Z', 'Asia/Almaty')).toBe(
      'вторник, 8 декабря 2026 г., 10:00 (Asia/Almaty, UTC+05:00)',
    );
  });

  it('follow daylight saving time and zones west of UTC', () => {
    expect(en.dateTime('2026-01-15T15:30:00Z', 'America/New_York')).toContain('10:30 (America/New_York, UTC-05:00)');
    expect(en.dateTime('2026-07-15T14:30:00Z', 'America/New_York')).toContain('10:30 (America/New_York, UTC-04:00)');
  });
});

describe('terms', () => {
  it('are written in English', () => {
    expect(en.term({ years: 10 })).toBe('10 years');
    expect(en.term({ years: 1, months: 1 })).toBe('1 year 1 month');
    expect(en.term({ years: 5, months: 6, days: 3 })).toBe('5 years 6 months 3 days');
  });

  it('follow Russian plural rules', () => {
    expect(ru.term({ years: 1 })).toBe('1 год');
    expect(ru.term({ years: 2, months: 6 })).toBe('2 года 6 месяцев');
    expect(ru.term({ years: 10 })).toBe('10 лет');
    expect(ru.term({ years: 21, months: 3 })).toBe('21 год 3 месяца');
    expect(ru.term({ days: 11 })).toBe('11 дней');
  });

  it('say nothing was imposed as zero days', () => {
    expect(en.term({})).toBe('0 days');
    expect(ru.term({ years: 0 })).toBe('0 дней');
  });
});

describe('enumerations and recorded values', () => {
  it('are labelled in each language', () => {
    expect(en.status('house-arrest')).toBe('under house arrest');
    expect(ru.status('house-arrest')).toBe('под домашним арестом');
    expect(ru.stage('awaiting-trial')).toBe('ожидание суда');
    expect(en.verdict('dismissed')).toBe('case dismissed');
    expect(ru.hearingKind('appeal')).toBe('апелляционное заседание');
    expect(ru.hearingStatus('postponed')).toBe('отложено');
    expect(en.role('defendant')).toBe('defendant');
  });

  it('translate recorded occupations and designations the catalog knows, else keep them', () => {
    expect(ru.recorded('occupation', 'Human rights defender')).toBe('правозащитник');
    expect(ru.recorded('designation', 'prisoner of conscience')).toBe('узник совести');
    expect(ru.recorded('occupation', 'beekeeper')).toBe('beekeeper');
  });

  it('name countries, languages and scripts in the language, and keep unknown codes', () => {
    expect(ru.displayName('region', 'KZ')).toBe('Казахстан');
    expect(en.displayName('language', 'kk')).toBe('Kazakh');
    expect(en.displayName('script', 'Cyrl')).toBe('Cyrillic');
    expect(en.displayName('language', 'not a tag!')).toBe('not a tag!');
  });
});

describe('editions', () => {
  it('say in the footer who issued a report, when, and for whom', () => {
    const meta = { organisation: 'Political Prisoners Watch', issuedOn: '2026-11-21' };
    expect(en.footer({ ...meta, audience: 'public' })).toBe(
      'Issued by Political Prisoners Watch on 21 November 2026. Public edition: contains only material marked public.',
    );
    expect(ru.footer({ ...meta, audience: 'internal' })).toContain(INTERNAL_MARKING);
    expect(ru.footer({ ...meta, audience: 'internal' })).toContain('21 ноября 2026 г.');
  });
});
