import type { CustodyStatus, HearingKind, HearingStatus, Term, Verdict } from '#case-files';
import { BoundedMemo, localIsoTime, type PartialDate, ZoneHourCache, zoneOffsetMinutes } from '#common';
import { DateTime, Duration, FixedOffsetZone } from 'luxon';
import type { Announcement, ReminderKind } from '../alerts.js';
import { CATALOGS, type Catalog, catalogFor, type MessageEvent, type PluralForms } from './catalogs/index.js';

/**
 * Rendering of reminders, notices and confirmations from plain facts (read from PostgreSQL at
 * send time by `MessageSource`). Everything here is pure: the same context gives the same
 * message, in the advocate's language, with hearing times in the court's zone and in theirs.
 */

export interface HearingFacts {
  id: string;
  startsAt: Date;
  /** IANA zone of the court. */
  timeZone: string;
  court: string | null;
  courtroom: string | null;
  kind: HearingKind;
  status: HearingStatus;
  /** The hearing it was postponed to, when known and visible to the recipient. */
  postponedTo: { startsAt: Date; timeZone: string } | null;
}

export interface CaseFacts {
  id: string;
  title: string;
  verdict: { verdict: Verdict; date: PartialDate | null; sentence: Term | null } | null;
}

export interface PersonFacts {
  id: string;
  name: string;
}

export interface CustodyFacts {
  person: PersonFacts;
  status: CustodyStatus;
  from: PartialDate;
  place: string | null;
  facility: string | null;
}

export interface MessageContext {
  reminderId: string;
  kind: ReminderKind;
  notice: Announcement | null;
  /** ISO 8601 duration before the hearing, for reminders. */
  leadTime: string | null;
  language: string;
  recipient: { name: string; timeZone: string };
  /** What the subscription follows, by name: a case title, a person's name, a mass event's name. */
  follows: { type: 'case' | 'person' | 'event'; name: string };
  hearing: HearingFacts | null;
  case: CaseFacts | null;
  /** Display names of the defendants of the case (only those the recipient may know of). */
  defendants: PersonFacts[];
  custody: CustodyFacts | null;
  links: { case: string | null; unsubscribe: string | null; confirm: string | null };
}

export interface RenderedMessage {
  event: MessageEvent;
  subject: string;
  text: string;
}

/** What a message is about, with "postponed" told apart from "cancelled" by the hearing's status. */
export function messageEvent(context: Pick<MessageContext, 'kind' | 'notice' | 'hearing'>): MessageEvent {
  if (context.kind === 'reminder') return 'reminder';
  if (context.kind === 'confirmation') return 'confirmation';
  const notice = context.notice ?? 'hearing-changed';
  return notice === 'hearing-cancelled' && context.hearing?.status === 'postponed' ? 'hearing-postponed' : notice;
}

/**
 * Intl objects are costly to make (a good part of rendering a message, when made per call) and
 * immutable once made: one per locale (and zone) is kept, there being few of either.
 */
const pluralRules = new Map<string, Intl.PluralRules>();
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

function plural(catalog: Catalog, forms: PluralForms, count: number): string {
  let rules = pluralRules.get(catalog.locale);
  if (!rules) pluralRules.set(catalog.locale, (rules = new Intl.PluralRules(catalog.locale)));
  const category = rules.select(count);
  return `${count} ${forms[category] ?? forms.other}`;
}

/*
 * Formatted text kept by what it was made from: many advocates following one case get reminders
 * for the same hearing at the same time, and Luxon's formatting (ICU behind it) is a large part
 * of rendering. Bounded, since the keys come from stored data.
 */
const leadTimes = new BoundedMemo<string>(1_000);
const instants = new BoundedMemo<string>(10_000);

/** `P2D` -> "2 days", `PT1H30M` -> "1 hour 30 minutes", `PT45S` -> "45 seconds". */
export function formatLeadTime(leadTime: string, catalog: Catalog): string {
  return leadTimes.get(`${catalog.locale}|${leadTime}`, () => leadTimeText(leadTime, catalog));
}

function leadTimeText(leadTime: string, catalog: Catalog): string {
  const duration = Duration.fromISO(leadTime);
  if (!duration.isValid) return leadTime;
  // Whole seconds first, then units: `PT59.6S` is "1 minute", not "60 seconds".
  const parts = Duration.fromObject({ seconds: Math.round(duration.as('seconds')) })
    .shiftTo('days', 'hours', 'minutes', 'seconds')
    .toObject();
  const text = (['day', 'hour', 'minute', 'second'] as const)
    .map((unit) => [unit, parts[`${unit}s`] ?? 0] as const)
    .filter(([, count]) => count > 0)
    .map(([unit, count]) => plural(catalog, catalog.units[unit], count));
  return text.length > 0 ? text.join(' ') : leadTime;
}

/** A sentence such as `{years: 7, months: 6}` -> "7 years 6 months". */
export function formatTerm(term: Term, catalog: Catalog): string {
  return (['year', 'month', 'day'] as const)
    .map((unit) => [unit, term[`${unit}s`] ?? 0] as const)
    .filter(([, count]) => count > 0)
    .map(([unit, count]) => plural(catalog, catalog.units[unit], count))
    .join(' ');
}

/** A partial date as people write it: "7 January 2022", "March 2022", "around November 2022". */
export function formatPartialDate(date: PartialDate, catalog: Catalog): string {
  const parts = date.date.split('-');
  const format = parts.length === 3 ? 'day' : parts.length === 2 ? 'month' : 'year';
  const parsed = DateTime.fromISO(date.date, { zone: 'UTC' }).setLocale(catalog.locale);
  const text = parsed.isValid ? parsed.toFormat(catalog.dateFormats[format]) : date.date;
  return date.precision === 'approximate' ? catalog.approximately(text) : text;
}

/**
 * An instant as wall-clock time in `zone`, with the zone's abbreviation where the locale has one
 * (CET, CEST), the UTC offset in force at that moment, and the zone's name:
 * "Friday, 15 March 2024, 06:00 CET (UTC+01:00, Europe/Amsterdam)". The offset comes from the
 * cache of zone offsets (`zoneOffsetMinutes`): Luxon would ask ICU for it on every call.
 */
export function formatInstant(instant: Date, zone: string, catalog: Catalog): string {
  return instants.get(`${catalog.locale}|${zone}|${instant.getTime()}`, () => instantText(instant, zone, catalog));
}

function instantText(instant: Date, zone: string, catalog: Catalog): string {
  const ms = instant.getTime();
  const offset = zoneOffsetMinutes(zone, ms);
  const local = DateTime.fromMillis(ms, {
    zone: offset === null ? zone : FixedOffsetZone.instance(offset),
    locale: catalog.locale,
  });
  if (!local.isValid) return instant.toISOString();
  const abbreviation = shortZoneName(instant, zone, catalog.locale);
  const named = abbreviation && !/^(GMT|UTC)/.test(abbreviation) ? ` ${abbreviation}` : '';
  return `${local.toFormat(catalog.dateTimeFormat)}${named} (UTC${local.toFormat('ZZ')}, ${zone})`;
}

/**
 * The zone's short name at that instant ("CET", "GMT+5"), as Luxon's `offsetNameShort` gives it
 * (same options). ICU is slow to name zones: the formatter is kept per locale and zone, and the
 * name per hour (it changes only when the offset does).
 */
function shortZoneName(instant: Date, zone: string, locale: string): string | null {
  return zoneNames.get(`${locale}|${zone}`, instant.getTime());
}

const zoneNames = new ZoneHourCache((key: string, ms: number): string | null => {
  let format = zoneNameFormats.get(key);
  if (!format) {
    const [locale, zone] = key.split('|');
    try {
      format = new Intl.DateTimeFormat(locale, {
        timeZoneName: 'short',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: zone,
      });
    } catch {
      return null;
    }
    zoneNameFormats.set(key, format);
  }
  return format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? null;
});

function followed(context: MessageContext, catalog: Catalog): string {
  return catalog.target[context.follows.type](context.follows.name);
}

const line = (label: string, value: string | null | undefined): string[] =>
  value === null || value === undefined || value === '' ? [] : [`${label}: ${value}`];

function hearingLines(context: MessageContext, catalog: Catalog): string[] {
  const { hearing, recipient } = context;
  const labels = catalog.labels;
  const lines: string[] = [];
  if (hearing) {
    lines.push(
      ...line(labels.courtTime, formatInstant(hearing.startsAt, hearing.timeZone, catalog)),
      ...line(labels.yourTime, formatInstant(hearing.startsAt, recipient.timeZone, catalog)),
    );
    if (hearing.status === 'postponed' && hearing.postponedTo) {
      const next = hearing.postponedTo;
      lines.push(
        ...line(labels.newCourtTime, formatInstant(next.startsAt, next.timeZone, catalog)),
        ...line(labels.newYourTime, formatInstant(next.startsAt, recipient.timeZone, catalog)),
      );
    }
    lines.push(...line(labels.hearingKind, catalog.hearingKinds[hearing.kind] ?? hearing.kind));
  }
  lines.push(...caseLines(context, catalog));
  if (hearing) {
    lines.push(...line(labels.court, hearing.court), ...line(labels.courtroom, hearing.courtroom));
  }
  return lines;
}

function caseLines(context: MessageContext, catalog: Catalog): string[] {
  return [
    ...line(catalog.labels.case, context.case?.title),
    ...line(catalog.labels.defendants, context.defendants.map((p) => p.name).join(', ')),
  ];
}

function bodyLines(event: MessageEvent, context: MessageContext, catalog: Catalog): string[] {
  const labels = catalog.labels;
  switch (event) {
    case 'confirmation':
      return [];
    case 'custody-changed': {
      const custody = context.custody;
      if (!custody) return [];
      return [
        ...line(labels.person, custody.person.name),
        ...line(labels.custodyStatus, catalog.custodyStatuses[custody.status] ?? custody.status),
        ...line(labels.since, formatPartialDate(custody.from, catalog)),
        ...line(labels.place, custody.place),
        ...line(labels.facility, custody.facility),
        ...caseLines(context, catalog),
      ];
    }
    case 'verdict': {
      const verdict = context.case?.verdict;
      return [
        ...caseLines(context, catalog),
        ...(verdict
          ? [
              ...line(labels.verdict, catalog.verdicts[verdict.verdict] ?? verdict.verdict),
              ...line(labels.verdictDate, verdict.date ? formatPartialDate(verdict.date, catalog) : null),
              ...line(labels.sentence, verdict.sentence ? formatTerm(verdict.sentence, catalog) : null),
            ]
          : []),
      ];
    }
    default:
      return hearingLines(context, catalog);
  }
}

/** Renders the message for one reminder, notice or confirmation, in the recipient's language. */
export function renderMessage(context: MessageContext): RenderedMessage {
  const catalog = catalogFor(context.language);
  const event = messageEvent(context);
  const params = {
    lead: context.leadTime ? formatLeadTime(context.leadTime, catalog) : '',
    title: context.case?.title ?? context.follows.name,
    person: context.custody?.person.name ?? context.defendants[0]?.name ?? context.follows.name,
    target: followed(context, catalog),
  };
  const lines = [catalog.intro[event](params), ''];
  if (event === 'confirmation') {
    lines.push(`${catalog.confirmation.action}: ${context.links.confirm ?? ''}`, '', catalog.confirmation.ignore);
  } else {
    lines.push(...bodyLines(event, context, catalog));
    if (context.links.case) lines.push(...line(catalog.labels.caseLink, context.links.case));
    lines.push('', '-- ', catalog.footer(params.target));
    if (context.links.unsubscribe) lines.push(...line(catalog.labels.unsubscribe, context.links.unsubscribe));
  }
  return { event, subject: catalog.subject[event](params).replace(/[\r\n]+/g, ' '), text: `${lines.join('\n')}\n` };
}

/** The JSON body of a webhook call: the rendered text plus the facts, for machines. */
export function webhookPayload(context: MessageContext, message: RenderedMessage): Record<string, unknown> {
  const { hearing, recipient } = context;
  return {
    id: context.reminderId,
    type: context.kind,
    event: message.event,
    leadTime: context.leadTime,
    language: context.language in CATALOGS ? context.language : 'en',
    subject: message.subject,
    text: message.text,
    follows: context.follows,
    hearing: hearing && {
      id: hearing.id,
      startsAt: hearing.startsAt.toISOString(),
      timeZone: hearing.timeZone,
      localStartsAt: localIsoTime(hearing.startsAt, hearing.timeZone),
      recipientTimeZone: recipient.timeZone,
      recipientLocalStartsAt: localIsoTime(hearing.startsAt, recipient.timeZone),
      court: hearing.court,
      courtroom: hearing.courtroom,
      kind: hearing.kind,
      status: hearing.status,
      postponedTo: hearing.postponedTo && {
        startsAt: hearing.postponedTo.startsAt.toISOString(),
        timeZone: hearing.postponedTo.timeZone,
        localStartsAt: localIsoTime(hearing.postponedTo.startsAt, hearing.postponedTo.timeZone),
      },
    },
    case: context.case && { id: context.case.id, title: context.case.title, verdict: context.case.verdict },
    defendants: context.defendants,
    custody: context.custody,
    links: { case: context.links.case, unsubscribe: context.links.unsubscribe, confirm: context.links.confirm },
  };
}
