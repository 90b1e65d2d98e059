import type { CustodyStatus, HearingKind, Verdict } from '#case-files';
import type { Announcement } from '../../alerts.js';

/** Forms of a unit by plural category (`Intl.PluralRules` of the catalog's locale); `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** What a message is: a reminder, a notice (with "postponed" told apart from "cancelled"), or a confirmation. */
export type MessageEvent = 'reminder' | Announcement | 'hearing-postponed' | 'confirmation';

/**
 * Every text a message is made of, in one language. To add a language, write one object of this
 * type (the compiler lists whatever is missing), add it to `CATALOGS` in `./index.ts`, and add its
 * code to `LANGUAGES` (libs/alerts/src/alerts.ts, with a migration for the check constraint).
 */
export interface Catalog {
  /** BCP 47 locale for dates, weekday and month names, and plural rules (`en-GB`, `ru`). */
  locale: string;
  /** Luxon format of a date and time, e.g. `cccc, d MMMM yyyy, HH:mm`. */
  dateTimeFormat: string;
  /** Luxon formats of partial dates ("March 2022", "2022"). */
  dateFormats: { day: string; month: string; year: string };
  approximately: (date: string) => string;
  units: Record<'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second', PluralForms>;
  /** The subject line. `title` is the case title, `person` a name, `target` what is followed. */
  subject: Record<MessageEvent, (p: { lead: string; title: string; person: string; target: string }) => string>;
  /** The first paragraph of the body. */
  intro: Record<MessageEvent, (p: { lead: string; title: string; person: string; target: string }) => string>;
  labels: {
    courtTime: string;
    yourTime: string;
    newCourtTime: string;
    newYourTime: string;
    hearingKind: string;
    case: string;
    defendants: string;
    court: string;
    courtroom: string;
    caseLink: string;
    person: string;
    custodyStatus: string;
    since: string;
    place: string;
    facility: string;
    verdict: string;
    verdictDate: string;
    sentence: string;
    unsubscribe: string;
  };
  /** What the subscription follows, for the footer and the confirmation. */
  target: { case: (title: string) => string; person: (name: string) => string; event: (name: string) => string };
  footer: (target: string) => string;
  confirmation: { action: string; ignore: string };
  hearingKinds: Record<HearingKind, string>;
  custodyStatuses: Record<CustodyStatus, string>;
  verdicts: Record<Verdict, string>;
}
