import type { CustodyStatus, HearingKind, HearingStatus, Term, Verdict } from '#case-files';
import type { DatePrecision } from '#common';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Announcement, Channel, ReminderKind } from '../alerts.js';
import { AlertLinks } from '../links.js';
import type { CaseFacts, CustodyFacts, HearingFacts, MessageContext, PersonFacts } from './messages.js';

/** A reminder row as claimed for sending (snake_case, as PostgreSQL returns it). */
export interface ClaimedReminder {
  id: string;
  kind: ReminderKind;
  notice: Announcement | null;
  lead_time: string | null;
  channel: Channel;
  subscription_id: string;
  advocate_id: string;
  hearing_id: string | null;
  case_id: string | null;
  person_id: string | null;
  custody_event_id: string | null;
  due_at: Date;
  attempts: number;
}

export interface Recipient {
  name: string;
  email: string;
  webhookUrl: string | null;
  /** Encrypted (`enc:v1:...`, field `advocate.webhookSecret`). */
  webhookSecret: string | null;
}

/** What to do with a claimed reminder: send this message, or close it without sending. */
export type Prepared =
  | { send: true; recipient: Recipient; context: MessageContext }
  | { send: false; status: 'cancelled' | 'skipped'; reason: string };

interface SubscriptionRow {
  status: string;
  public_only: boolean;
  case_id: string | null;
  person_id: string | null;
  event_id: string | null;
  name: string;
  email: string;
  language: string;
  time_zone: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  advocate_archived: boolean;
}

interface HearingRow {
  id: string;
  case_id: string;
  starts_at: Date;
  time_zone: string;
  court: string | null;
  courtroom: string | null;
  kind: HearingKind;
  status: HearingStatus;
  visibility: string;
  archived: boolean;
  postponed_to_id: string | null;
  case_visibility: string;
  case_archived: boolean;
}

interface CaseRow {
  id: string;
  title: string;
  visibility: string;
  archived: boolean;
  verdict: Verdict | null;
  verdict_date: string | null;
  verdict_precision: DatePrecision | null;
  sentence: Term | null;
}

const skip = (status: 'cancelled' | 'skipped', reason: string): Prepared => ({ send: false, status, reason });

/**
 * Reads, at send time, everything a message says: the reminder's subscription and advocate, the
 * hearing, case, defendants or custody event, as PostgreSQL holds them now (the job carries ids
 * only). It also re-checks what planning checked, since things may have changed since: a
 * subscription that ended, a hearing no longer scheduled or already started, material that
 * became restricted (or is not public, for a self-service follower) closes the reminder unsent.
 */
@Injectable()
export class MessageSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: AlertLinks,
  ) {}

  async prepare(reminder: ClaimedReminder): Promise<Prepared> {
    const db = this.dataSource.manager;
    const [sub] = await db.query<SubscriptionRow[]>(
      `SELECT s.status, s.public_only, s.case_id, s.person_id, s.event_id, a.name, a.email, a.language,
              a.time_zone, a.webhook_url, a.webhook_secret, a.archived_at IS NOT NULL AS advocate_archived
         FROM subscriptions s JOIN advocates a ON a.id = s.advocate_id
        WHERE s.id = $1`,
      [reminder.subscription_id],
    );
    if (!sub) return skip('cancelled', 'subscription not found');
    if (sub.advocate_archived) return skip('cancelled', 'advocate archived');
    if (sub.status === 'cancelled') return skip('cancelled', 'subscription cancelled');
    if (reminder.kind !== 'confirmation' && sub.status !== 'active')
      return skip('cancelled', 'subscription not active');

    /** Whether the recipient may be told of material with this visibility. */
    const mayKnow = (visibility: string) =>
      visibility !== 'restricted' && (!sub.public_only || visibility === 'public');

    let hearing: HearingFacts | null = null;
    let caseId = reminder.case_id ?? sub.case_id;
    if (reminder.hearing_id) {
      const row = await this.hearing(reminder.hearing_id);
      if (!row) return skip('cancelled', 'hearing not found');
      caseId = row.case_id;
      const live = row.status === 'scheduled' && !row.archived && !row.case_archived;
      const visible = mayKnow(row.visibility) && mayKnow(row.case_visibility);
      if (reminder.kind === 'reminder') {
        if (!live) return skip('cancelled', 'hearing no longer scheduled');
        if (row.starts_at.getTime() <= Date.now()) return skip('skipped', 'hearing already started');
      }
      // Those told of a hearing hear of its cancellation, even if it has been restricted since.
      if (!visible && reminder.notice !== 'hearing-cancelled') return skip('cancelled', 'hearing not visible');
      hearing = {
        id: row.id,
        startsAt: row.starts_at,
        timeZone: row.time_zone,
        court: row.court,
        courtroom: row.courtroom,
        kind: row.kind,
        status: row.status,
        postponedTo: row.postponed_to_id ? await this.postponedTo(row.postponed_to_id, mayKnow) : null,
      };
    } else if (reminder.kind === 'reminder') {
      return skip('cancelled', 'reminder without a hearing');
    }

    let custody: CustodyFacts | null = null;
    if (reminder.notice === 'custody-changed') {
      if (!reminder.custody_event_id) return skip('cancelled', 'custody event not found');
      const [row] = await db.query<
        Array<{
          status: CustodyStatus;
          from_date: string;
          from_precision: DatePrecision;
          place: string | null;
          facility: string | null;
          visibility: string;
          archived: boolean;
          person_id: string;
          display_name: string;
          person_visibility: string;
          person_archived: boolean;
        }>
      >(
        `SELECT e.status, e.from_date, e.from_precision, e.place, e.facility, e.visibility,
                e.archived_at IS NOT NULL AS archived, p.id AS person_id, p.display_name,
                p.visibility AS person_visibility, p.archived_at IS NOT NULL AS person_archived
           FROM custody_events e JOIN persons p ON p.id = e.person_id
          WHERE e.id = $1`,
        [reminder.custody_event_id],
      );
      if (!row || row.archived || row.person_archived) return skip('cancelled', 'custody event not found');
      if (!mayKnow(row.visibility) || !mayKnow(row.person_visibility)) {
        return skip('cancelled', 'custody event not visible');
      }
      custody = {
        person: { id: row.person_id, name: row.display_name },
        status: row.status,
        from: { date: row.from_date, precision: row.from_precision },
        place: row.place,
        facility: row.facility,
      };
    }

    let kase: CaseFacts | null = null;
    let defendants: PersonFacts[] = [];
    if (caseId) {
      const row = await this.case(caseId);
      const visible = row !== null && !row.archived && mayKnow(row.visibility);
      if (reminder.notice === 'verdict' && !visible) return skip('cancelled', 'case not visible');
      // A hearing's notice names its case (the hearing's visibility was checked above).
      if (row && (visible || hearing)) {
        kase = {
          id: row.id,
          title: row.title,
          verdict:
            reminder.notice === 'verdict' && row.verdict
              ? {
                  verdict: row.verdict,
                  date:
                    row.verdict_date && row.verdict_precision
                      ? { date: row.verdict_date, precision: row.verdict_precision }
                      : null,
                  sentence: termOf(row.sentence),
                }
              : null,
        };
        defendants = await this.defendants(row.id, mayKnow);
      }
    }

    const follows = await this.follows(sub);
    const context: MessageContext = {
      reminderId: reminder.id,
      kind: reminder.kind,
      notice: reminder.notice,
      leadTime: reminder.lead_time,
      language: sub.language,
      recipient: { name: sub.name, timeZone: sub.time_zone },
      follows,
      hearing,
      case: kase,
      defendants,
      custody,
      links: {
        case: kase ? this.links.caseUrl(kase.id) : null,
        unsubscribe: reminder.kind === 'confirmation' ? null : this.links.unsubscribeUrl(reminder.subscription_id),
        confirm: reminder.kind === 'confirmation' ? this.links.confirmUrl(reminder.subscription_id) : null,
      },
    };
    return {
      send: true,
      recipient: { name: sub.name, email: sub.email, webhookUrl: sub.webhook_url, webhookSecret: sub.webhook_secret },
      context,
    };
  }

  private async hearing(id: string): Promise<HearingRow | null> {
    const [row] = await this.dataSource.query<HearingRow[]>(
      `SELECT h.id, h.case_id, h.starts_at, h.time_zone, h.court, h.courtroom, h.kind, h.status, h.visibility,
              h.archived_at IS NOT NULL AS archived, h.postponed_to_id,
              c.visibility AS case_visibility, c.archived_at IS NOT NULL AS case_archived
         FROM hearings h JOIN cases c ON c.id = h.case_id
        WHERE h.id = $1`,
      [id],
    );
    return row ?? null;
  }

  private async postponedTo(
    id: string,
    mayKnow: (visibility: string) => boolean,
  ): Promise<HearingFacts['postponedTo']> {
    const [row] = await this.dataSource.query<
      Array<{ starts_at: Date; time_zone: string; visibility: string; archived: boolean }>
    >(`SELECT starts_at, time_zone, visibility, archived_at IS NOT NULL AS archived FROM hearings WHERE id = $1`, [id]);
    return row && !row.archived && mayKnow(row.visibility)
      ? { startsAt: row.starts_at, timeZone: row.time_zone }
      : null;
  }

  private async case(id: string): Promise<CaseRow | null> {
    const [row] = await this.dataSource.query<CaseRow[]>(
      `SELECT id, title, visibility, archived_at IS NOT NULL AS archived, verdict, verdict_date, verdict_precision,
              sentence
         FROM cases WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  private async defendants(caseId: string, mayKnow: (visibility: string) => boolean): Promise<PersonFacts[]> {
    const rows = await this.dataSource.query<Array<{ id: string; display_name: string; visibility: string }>>(
      `SELECT p.id, p.display_name, p.visibility
         FROM case_participants cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = $1 AND cp.role = 'defendant' AND p.archived_at IS NULL
        ORDER BY cp.position`,
      [caseId],
    );
    return rows.filter((r) => mayKnow(r.visibility)).map((r) => ({ id: r.id, name: r.display_name }));
  }

  private async follows(sub: SubscriptionRow): Promise<MessageContext['follows']> {
    if (sub.case_id) {
      const [row] = await this.dataSource.query<Array<{ name: string }>>(
        'SELECT title AS name FROM cases WHERE id = $1',
        [sub.case_id],
      );
      return { type: 'case', name: row?.name ?? '' };
    }
    if (sub.person_id) {
      const [row] = await this.dataSource.query<Array<{ name: string }>>(
        'SELECT display_name AS name FROM persons WHERE id = $1',
        [sub.person_id],
      );
      return { type: 'person', name: row?.name ?? '' };
    }
    const [row] = await this.dataSource.query<Array<{ name: string | null }>>(
      'SELECT names[1] AS name FROM events WHERE id = $1',
      [sub.event_id],
    );
    return { type: 'event', name: row?.name ?? '' };
  }
}

/** A PostgreSQL interval as `pg` returns it, as a term (zero parts left out), or null. */
function termOf(value: Term | null): Term | null {
  if (!value) return null;
  const term: Term = {};
  if (value.years) term.years = value.years;
  if (value.months) term.months = value.months;
  if (value.days) term.days = value.days;
  return Object.keys(term).length > 0 ? term : null;
}
