import { NotFoundError } from '#common';
import { Injectable } from '@nestjs/common';
import ical, { escape, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { Language } from './alerts.js';
import { AlertLinks } from './links.js';
import { calendarTokenHash, isCalendarToken } from './secrets.js';
import { vtimezone } from './vtimezone.js';

/** At most this many hearings in one feed (the latest ones). */
export const MAX_FEED_HEARINGS = 2000;

interface FeedHearing {
  id: string;
  case_id: string;
  case_title: string;
  case_public: boolean;
  starts_at: Date;
  time_zone: string;
  court: string | null;
  courtroom: string | null;
  kind: string;
  status: string;
  version: number;
  updated_at: Date;
}

const HEARING_COLUMNS = `h.id, h.case_id, c.title AS case_title, c.visibility = 'public' AS case_public, h.starts_at, h.time_zone, h.court, h.courtroom,
                         h.kind, h.status, h.version, h.updated_at`;

const LABELS: Record<Language, { kinds: Record<string, string>; postponed: string; cancelled: string; feed: string }> =
  {
    en: {
      kinds: {
        preliminary: 'Preliminary hearing',
        trial: 'Trial hearing',
        verdict: 'Verdict hearing',
        appeal: 'Appeal hearing',
        other: 'Hearing',
      },
      postponed: 'Postponed',
      cancelled: 'Cancelled',
      feed: 'Hearings',
    },
    ru: {
      kinds: {
        preliminary: 'Предварительное заседание',
        trial: 'Судебное заседание',
        verdict: 'Оглашение приговора',
        appeal: 'Апелляционное заседание',
        other: 'Заседание',
      },
      postponed: 'Отложено',
      cancelled: 'Отменено',
      feed: 'Заседания',
    },
  };

/**
 * RFC 5545 feeds of hearings: an advocate's private feed (by the secret token in its URL) of
 * everything they follow through active subscriptions, and a public feed per public case. One
 * VEVENT per hearing, with a stable UID and a SEQUENCE raised on every change; cancelled and
 * postponed hearings stay in the feed as `STATUS:CANCELLED`, so calendars remove them. Times are
 * the court's wall-clock time with its IANA zone (`TZID`), described by a VTIMEZONE made from the
 * same time zone database that converted them.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: AlertLinks,
  ) {}

  /**
   * The feed of a live advocate, by their calendar token (404 for anything else): hearings of
   * live cases they follow, never restricted ones (nor of restricted cases), and for
   * public-only subscriptions public hearings of public cases only.
   */
  async advocateFeed(token: string): Promise<string> {
    const notFound = new NotFoundError('Calendar', 'for this link');
    if (!isCalendarToken(token)) throw notFound;
    const [advocate] = await this.dataSource.query<Array<{ id: string; name: string; language: Language }>>(
      `SELECT id, name, language FROM advocates WHERE calendar_token_hash = $1 AND archived_at IS NULL`,
      [calendarTokenHash(token)],
    );
    if (!advocate) throw notFound;
    const hearings = await this.dataSource.query<FeedHearing[]>(
      `WITH subs AS (
         SELECT case_id, person_id, event_id, public_only FROM subscriptions WHERE advocate_id = $1 AND status = 'active'
       ), followed AS (
         SELECT case_id, public_only FROM subs WHERE case_id IS NOT NULL
         UNION ALL SELECT c.id, s.public_only FROM subs s JOIN events ev ON ev.id = s.event_id AND ev.archived_at IS NULL
                     JOIN cases c ON c.event_id = s.event_id
         -- Through a person while their record is live and visible to this advocate.
         UNION ALL SELECT p.case_id, s.public_only FROM subs s
                     JOIN persons pe ON pe.id = s.person_id AND pe.archived_at IS NULL AND pe.visibility <> 'restricted'
                                    AND (NOT s.public_only OR pe.visibility = 'public')
                     JOIN case_participants p ON p.person_id = s.person_id
       ), merged AS (
         SELECT case_id, bool_and(public_only) AS public_only FROM followed GROUP BY case_id
       )
       SELECT ${HEARING_COLUMNS}
         FROM merged f
         JOIN cases c ON c.id = f.case_id
         JOIN hearings h ON h.case_id = c.id
        WHERE c.archived_at IS NULL AND h.archived_at IS NULL
          AND c.visibility <> 'restricted' AND h.visibility <> 'restricted'
          AND (NOT f.public_only OR (c.visibility = 'public' AND h.visibility = 'public'))
        ORDER BY h.starts_at DESC, h.seq DESC
        LIMIT ${MAX_FEED_HEARINGS}`,
      [advocate.id],
    );
    const labels = LABELS[advocate.language] ?? LABELS.en;
    return this.render(`${labels.feed}: ${advocate.name}`, hearings.reverse(), advocate.language);
  }

  /** The public feed of a public, live case: its public hearings (404 for any other case). */
  async caseFeed(caseId: string): Promise<string> {
    const [found] = await this.dataSource.query<Array<{ title: string }>>(
      `SELECT title FROM cases WHERE id = $1 AND archived_at IS NULL AND visibility = 'public'`,
      [caseId],
    );
    if (!found) throw new NotFoundError('Case', caseId);
    const hearings = await this.dataSource.query<FeedHearing[]>(
      `SELECT ${HEARING_COLUMNS}
         FROM hearings h JOIN cases c ON c.id = h.case_id
        WHERE h.case_id = $1 AND h.archived_at IS NULL AND h.visibility = 'public'
        ORDER BY h.starts_at DESC, h.seq DESC
        LIMIT ${MAX_FEED_HEARINGS}`,
      [caseId],
    );
    return this.render(`${LABELS.en.feed}: ${found.title}`, hearings.reverse(), 'en');
  }

  private render(name: string, hearings: FeedHearing[], language: Language): string {
    const labels = LABELS[language] ?? LABELS.en;
    // The starts of each zone's hearings, for its VTIMEZONE.
    const starts = new Map<string, Date[]>();
    for (const h of hearings) {
      const ofZone = starts.get(h.time_zone);
      if (ofZone) ofZone.push(h.starts_at);
      else starts.set(h.time_zone, [h.starts_at]);
    }
    const calendar = ical({
      prodId: '//case-tracker//hearings//EN',
      // The library writes the calendar's name as given: a title with `,`, `;` or a line break
      // would break the feed.
      name: escape(name, false),
      ttl: 3600,
      timezone: {
        name: null,
        generator: (zone) => {
          const ofZone = starts.get(zone);
          return ofZone ? vtimezone(zone, ofZone) : null;
        },
      },
    });
    for (const h of hearings) {
      const off = h.status === 'cancelled' || h.status === 'postponed';
      const kind = labels.kinds[h.kind] ?? labels.kinds.other!;
      const prefix =
        h.status === 'postponed' ? `${labels.postponed}: ` : h.status === 'cancelled' ? `${labels.cancelled}: ` : '';
      // Feeds are read outside the API: the public page of a public case, else the staff API.
      const url = this.links.caseLink(h.case_id, h.case_public)!;
      calendar.createEvent({
        id: `${h.id}@case-tracker`,
        sequence: h.version - 1,
        stamp: h.updated_at,
        lastModified: h.updated_at,
        // A wall-clock time the clocks show twice (the hour repeated when they go back) would be
        // read as its first occurrence (RFC 5545, 3.3.5), and parsers differ: such a hearing is
        // given in UTC.
        ...(isRepeatedWallTime(h.starts_at, h.time_zone)
          ? { start: h.starts_at }
          : { start: DateTime.fromJSDate(h.starts_at, { zone: h.time_zone }), timezone: h.time_zone }),
        summary: `${prefix}${kind}: ${h.case_title}`,
        location: [h.court, h.courtroom].filter((part) => part).join(', ') || null,
        description: `${h.case_title}\n${url}`,
        url,
        status: off ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    // Every content line ends with CRLF (RFC 5545, 3.1), the last one too.
    return `${calendar.toString()}\r\n`;
  }
}

/**
 * Whether `instant`'s wall-clock time in `zone` is one the clocks show twice, an offset change
 * apart (either pass through an hour repeated when they went back).
 */
export function isRepeatedWallTime(instant: Date, zone: string): boolean {
  const ms = instant.getTime();
  const local = DateTime.fromMillis(ms, { zone });
  const wall = local.toFormat('yyyyMMddHHmmss');
  // Offset changes are at most a few hours apart from the instant they concern (most are an hour).
  const before = DateTime.fromMillis(ms - 3 * 3600_000, { zone }).offset;
  const after = DateTime.fromMillis(ms + 3 * 3600_000, { zone }).offset;
  const same = (shiftMinutes: number) =>
    DateTime.fromMillis(ms + shiftMinutes * 60_000, { zone }).toFormat('yyyyMMddHHmmss') === wall;
  return (before > local.offset && same(local.offset - before)) || (after < local.offset && same(local.offset - after));
}
