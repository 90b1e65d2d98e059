import type { CaseStage, CustodyStatus, HearingKind, HearingStatus, ParticipantRole, Term, Verdict } from '#case-files';
import type { PartialDate } from '#common';
import { DateTime } from 'luxon';
import { readdirSync, readFileSync } from 'node:fs';
import type { Audience } from './reports.js';

/**
 * Labels of reports, one catalog per language in `locales/<language>.json`: a flat object of
 * `key: text`, where `{name}` marks a value put in. Catalogs are read once, when this module
 * loads, from the folder beside it (the build copies it next to the compiled module), so adding
 * a language is adding a file. A key a catalog lacks is taken from English.
 *
 * Partial dates take three values, so each language can phrase them in its own grammar:
 * `{date}` (the date as Intl writes it alone: "March 2022", "март 2022 г."), `{month}` (the
 * month's name as in a full date: "March", "марта") and `{year}`.
 */

/** The marking of internal reports: every catalog's `marking` contains it, in English. */
export const INTERNAL_MARKING = 'INTERNAL - do not distribute';

const FALLBACK_LANGUAGE = 'en';
const LOCALES = new URL('./locales/', import.meta.url);

type Catalog = Readonly<Record<string, string>>;
export type LabelParams = Record<string, string | number>;

function readCatalog(file: string): Catalog {
  const parsed: unknown = JSON.parse(readFileSync(new URL(file, LOCALES), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`locales/${file}: a catalog is an object of "key": "text"`);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new Error(`locales/${file}: "${key}" must be a string`);
  }
  return parsed as Catalog;
}

function readCatalogs(): Map<string, Catalog> {
  const files = readdirSync(LOCALES).filter((file) => file.endsWith('.json'));
  return new Map(files.sort().map((file) => [file.slice(0, -'.json'.length), readCatalog(file)]));
}

function fallbackOf(catalogs: Map<string, Catalog>): Catalog {
  const fallback = catalogs.get(FALLBACK_LANGUAGE);
  if (!fallback) throw new Error(`locales/${FALLBACK_LANGUAGE}.json is missing`);
  return fallback;
}

const CATALOGS = readCatalogs();
const FALLBACK = fallbackOf(CATALOGS);

export const SUPPORTED_LANGUAGES: string[] = [...CATALOGS.keys()];

export function isSupportedLanguage(language: unknown): language is string {
  return typeof language === 'string' && CATALOGS.has(language);
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const GRANULARITIES = ['year', 'month', 'day'] as const;

/** Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a UTC instant and how much of it is written. */
function parseWritten(date: string): { instant: Date; granularity: (typeof GRANULARITIES)[number] } {
  const match = PATTERN.exec(date);
  if (!match) throw new RangeError(`invalid partial date: ${date}`);
  const [, year, month, day] = match;
  // Not `Date.UTC(y, ...)`, which reads years 0-99 as 1900-1999.
  const instant = new Date(0);
  instant.setUTCFullYear(Number(year), Number(month ?? 1) - 1, Number(day ?? 1));
  return {
    instant,
    granularity: GRANULARITIES[[year, month, day].filter(Boolean).length - 1],
  };
}

/** Labels, dates and terms in one language, with English for what its catalog lacks. */
export class Labels {
  readonly locale: string;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly monthFormat: Intl.DateTimeFormat;
  private readonly names = new Map<string, Intl.DisplayNames>();
  private readonly zoneFormats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

  constructor(
    readonly language: string,
    private readonly catalog: Catalog,
    private readonly fallback: Catalog,
  ) {
    this.locale = this.t('locale');
    this.plurals = new Intl.PluralRules(this.locale);
    this.numbers = new Intl.NumberFormat(this.locale);
    this.dayFormat = new Intl.DateTimeFormat(this.locale, {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    this.monthFormat = new Intl.DateTimeFormat(this.locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  }

  has(key: string): boolean {
    return key in this.catalog || key in this.fallback;
  }

  /** The text of `key` when a catalog has it, else `otherwise` (for codes from data). */
  labelOr(key: string, otherwise: string): string {
    return this.has(key) ? this.t(key) : otherwise;
  }

  /** The text of `key` with `{name}` replaced by `params.name`; an unknown key is a bug. */
  t(key: string, params: LabelParams = {}): string {
    const text = this.catalog[key] ?? this.fallback[key];
    if (text === undefined) throw new Error(`no label "${key}" in locales/${FALLBACK_LANGUAGE}.json`);
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      name in params ? this.text(params[name]) : placeholder,
    );
  }

  number(value: number): string {
    return this.numbers.format(value);
  }

  /**
   * `{count}` with the form `key.<plural category>` ("2 года", "5 лет"), else `key.other`; forms
   * come from one catalog, so a language without them uses English forms whole, not mixed.
   */
  plural(key: string, count: number): string {
    const forms = `${key}.other` in this.catalog ? this.catalog : this.fallback;
    const form = `${key}.${this.plurals.select(count)}`;
    return this.t(form in forms ? form : `${key}.other`, { count });
  }

  /** Non-empty parts joined with the language's separator ("Almaty, courtroom 4"). */
  list(parts: (string | null | undefined)[]): string {
    return parts.filter((part): part is string => !!part).join(this.t('list.separator'));
  }

  /** Items that are lists themselves ("article 272, up to 8 years; article 274"). */
  groups(items: string[]): string {
    return items.join(this.t('list.groupSeparator'));
  }

  /** A partial date as the source gave it: "14 March 2022", "March 2022", "around November 2022". */
  partialDate(value: PartialDate): string {
    return this.datePhrase('date', value);
  }

  /** "since March 2022", "с марта 2022 г.": languages inflect the date after "since". */
  since(value: PartialDate): string {
    return this.datePhrase('date.since', value);
  }

  /** A calendar date (`YYYY-MM-DD`), such as a date of issue or a deadline. */
  date(isoDate: string): string {
    return this.dayFormat.format(parseWritten(isoDate).instant);
  }

  /**
   * An instant as local time in `timeZone`, with the zone and its offset at that instant
   * ("Monday, 14 March 2022, 10:00 (Asia/Almaty, UTC+06:00)"): offsets change (Almaty went from
   * UTC+6 to UTC+5 on 1 March 2024), so they come from the time zone database, never from here.
   */
  dateTime(instant: string, timeZone: string): string {
    const at = new Date(instant);
    const formats = this.zoneFormatsOf(timeZone);
    return this.t('dateTime', {
      date: formats.date.format(at),
      time: formats.time.format(at),
      zone: timeZone,
      offset: DateTime.fromJSDate(at, { zone: timeZone }).toFormat('ZZ'),
    });
  }

  /** `{years: 2, months: 6}` -> "2 years 6 months", "2 года 6 месяцев". */
  term(term: Term): string {
    const parts = (['year', 'month', 'day'] as const)
      .map((unit) => [unit, term[`${unit}s`] ?? 0] as const)
      .filter(([, count]) => count > 0)
      .map(([unit, count]) => this.plural(`unit.${unit}`, count));
    return parts.length > 0 ? parts.join(this.t('term.separator')) : this.plural('unit.day', 0);
  }

  status(status: CustodyStatus): string {
    return this.t(`status.${status}`);
  }

  stage(stage: CaseStage): string {
    return this.t(`stage.${stage}`);
  }

  role(role: ParticipantRole): string {
    return this.t(`role.${role}`);
  }

  verdict(verdict: Verdict): string {
    return this.t(`verdict.${verdict}`);
  }

  hearingKind(kind: HearingKind): string {
    return this.t(`hearingKind.${kind}`);
  }

  hearingStatus(status: HearingStatus): string {
    return this.t(`hearingStatus.${status}`);
  }

  /**
   * A free-text value recorded in English (an occupation, a designation) in this language when
   * the catalog knows it (`occupation.human-rights-defender`), else as recorded.
   */
  recorded(group: 'occupation' | 'designation', value: string): string {
    return this.labelOr(`${group}.${value.trim().toLowerCase().replace(/\s+/g, '-')}`, value);
  }

  /** "Kazakhstan" for `KZ`, "Russian" for `ru`, "Cyrillic" for `Cyrl`; the code when unknown. */
  displayName(type: 'region' | 'language' | 'script', code: string): string {
    try {
      return this.displayNames(type).of(code) ?? code;
    } catch {
      // A malformed code (not BCP 47) is shown as recorded rather than failing the report.
      return code;
    }
  }

  /** The banner of every page: only internal reports carry one. */
  marking(audience: Audience): string | null {
    return audience === 'internal' ? this.t('marking') : null;
  }

  footer(meta: { audience: Audience; organisation: string; issuedOn: string }): string {
    return this.t(`footer.${meta.audience}`, { organisation: meta.organisation, date: this.date(meta.issuedOn) });
  }

  /** The first letter in upper case, as the language writes it ("journalist" -> "Journalist"). */
  capitalise(text: string): string {
    return text.charAt(0).toLocaleUpperCase(this.locale) + text.slice(1);
  }

  private text(value: string | number): string {
    return typeof value === 'number' ? this.number(value) : value;
  }

  private datePhrase(prefix: string, value: PartialDate): string {
    const { instant, granularity } = parseWritten(value.date);
    const approximate = value.precision === 'approximate' ? 'approximate.' : '';
    const written = granularity === 'day' ? this.dayFormat : this.monthFormat;
    return this.t(`${prefix}.${approximate}${granularity}`, {
      date: granularity === 'year' ? String(instant.getUTCFullYear()) : written.format(instant),
      month: this.dayFormat.formatToParts(instant).find((part) => part.type === 'month')?.value ?? '',
      year: String(instant.getUTCFullYear()),
    });
  }

  private displayNames(type: 'region' | 'language' | 'script'): Intl.DisplayNames {
    let names = this.names.get(type);
    if (!names) this.names.set(type, (names = new Intl.DisplayNames(this.locale, { type, fallback: 'code' })));
    return names;
  }

  private zoneFormatsOf(timeZone: string): { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
    let formats = this.zoneFormats.get(timeZone);
    if (!formats) {
      formats = {
        date: new Intl.DateTimeFormat(this.locale, {
          timeZone,
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
        }),
        time: new Intl.DateTimeFormat(this.locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      };
      this.zoneFormats.set(timeZone, formats);
    }
    return formats;
  }
}

const LABELS = new Map([...CATALOGS].map(([language, catalog]) => [language, new Labels(language, catalog, FALLBACK)]));

/** The labels of a supported language (see `SUPPORTED_LANGUAGES`). */
export function labelsFor(language: string): Labels {
  const labels = LABELS.get(language);
  if (!labels) throw new RangeError(`unsupported report language "${language}": ${SUPPORTED_LANGUAGES.join(', ')}`);
  return labels;
}

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}
