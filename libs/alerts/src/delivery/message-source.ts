import type { CustodyStatus, HearingKind, HearingStatus, Term, Verdict } from '#case-files';
import type { DatePrecision } from '#common';
import { preparedQuery, StatementBatcher } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Announcement, Channel, ReminderKind } from '../alerts.js';
import { AlertLinks } from '../links.js';
import type { CaseFacts, CustodyFacts, HearingFacts, MessageContext, PersonFacts } from './messages.js';

/** A reminder row as claimed for sending (snake_case, as PostgreSQL returns it). */
export interface ClaimedReminder {
  id: string;
  dedupe_key: string;
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
  /** For reminders: the hearing start they were planned for. */
  hearing_starts_at: Date | null;
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
  | {
      send: true;
      recipient: Recipient;
      context: MessageContext;
      /** Whether the advocate has another active subscription (which may plan the same message). */
      followsMore: boolean;
    }
  | { send: false; status: 'cancelled' | 'skipped'; reason: string };

/**
 * Everything `prepare` reads, in one row: the subscription and its advocate, what it follows (by
 * name), the hearing with its case and the hearing it was postponed to, the custody event with
 * its person, the case the message is about, and that case's defendants. The parts a reminder
 * does not name are null.
 */
interface FactsRow {
  i: string;
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
  follows_name: string | null;
  /** Whether what the subscription follows is live and may be shown to its advocate. */
  follows_visible: boolean;
  /** Whether the advocate has another active subscription. */
  follows_more: boolean;
  h_id: string | null;
  h_case_id: string;
  h_starts_at: Date;
  h_time_zone: string;
  h_court: string | null;
  h_courtroom: string | null;
  h_kind: HearingKind;
  h_status: HearingStatus;
  h_visibility: string;
  h_archived: boolean;
  h_postponed_to_id: string | null;
  h_case_visibility: string;
  h_case_archived: boolean;
  p_starts_at: Date | null;
  p_time_zone: string | null;
  p_visibility: string | null;
  p_archived: boolean | null;
  e_id: string | null;
  e_status: CustodyStatus;
  e_from_date: string;
  e_from_precision: DatePrecision;
  e_place: string | null;
  e_facility: string | null;
  e_visibility: string;
  e_archived: boolean;
  e_person_id: string;
  e_display_name: string;
  e_person_visibility: string;
  e_person_archived: boolean;
  c_id: string | null;
  c_title: string;
  c_visibility: string;
  c_archived: boolean;
  c_verdict: Verdict | null;
  c_verdict_date: string | null;
  c_verdict_precision: DatePrecision | null;
  c_sentence: Term | null;
  /** Unarchived defendants of case `c`, in order. */
  c_defendants: Array<{ id: string; name: string; visibility: string }>;
}

/**
 * One round trip for all the facts of a batch of messages, one row per message that has a
 * subscription (`i`: its place in the arrays, from 1). Per message: the subscription, the
 * hearing, custody event and case it names (each may be null). The case is the hearing's, else
 * the reminder's, else the subscription's.
 */
const FACTS_SQL = `
SELECT q.i, s.status, s.public_only, s.case_id, s.person_id, s.event_id, a.name, a.email, a.language,
       a.time_zone, a.webhook_url, a.webhook_secret, a.archived_at IS NOT NULL AS advocate_archived,
       f.name AS follows_name, coalesce(f.visible, false) AS follows_visible,
       EXISTS (SELECT 1 FROM subscriptions o
                WHERE o.advocate_id = s.advocate_id AND o.status = 'active' AND o.id <> s.id) AS follows_more,
       h.id AS h_id, h.case_id AS h_case_id, h.starts_at AS h_starts_at, h.time_zone AS h_time_zone,
       h.court AS h_court, h.courtroom AS h_courtroom, h.kind AS h_kind, h.status AS h_status,
       h.visibility AS h_visibility, h.archived_at IS NOT NULL AS h_archived, h.postponed_to_id AS h_postponed_to_id,
       hc.visibility AS h_case_visibility, hc.archived_at IS NOT NULL AS h_case_archived,
       p.starts_at AS p_starts_at, p.time_zone AS p_time_zone, p.visibility AS p_visibility,
       p.archived_at IS NOT NULL AS p_archived,
       e.id AS e_id, e.status AS e_status, e.from_date AS e_from_date, e.from_precision AS e_from_precision,
       e.place AS e_place, e.facility AS e_facility, e.visibility AS e_visibility,
       e.archived_at IS NOT NULL AS e_archived, ep.id AS e_person_id, ep.display_name AS e_display_name,
       ep.visibility AS e_person_visibility, ep.archived_at IS NOT NULL AS e_person_archived,
       c.id AS c_id, c.title AS c_title, c.visibility AS c_visibility, c.archived_at IS NOT NULL AS c_archived,
       c.verdict AS c_verdict, c.verdict_date AS c_verdict_date, c.verdict_precision AS c_verdict_precision,
       c.sentence AS c_sentence,
       (SELECT coalesce(json_agg(json_build_object('id', dp.id, 'name', dp.display_name, 'visibility', dp.visibility)
                                 ORDER BY cp.position), '[]'::json)
          FROM case_participants cp JOIN persons dp ON dp.id = cp.person_id
         WHERE cp.case_id = c.id AND cp.role = 'defendant' AND dp.archived_at IS NULL) AS c_defendants
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[])
       WITH ORDINALITY AS q(subscription_id, hearing_id, event_id, case_id, i)
  JOIN subscriptions s ON s.id = q.subscription_id
  JOIN advocates a ON a.id = s.advocate_id
  LEFT JOIN LATERAL (
    SELECT title AS name, archived_at IS NULL AND visibility <> 'restricted'
                          AND (NOT s.public_only OR visibility = 'public') AS visible
      FROM cases WHERE id = s.case_id
    UNION ALL
    SELECT display_name, archived_at IS NULL AND visibility <> 'restricted'
                         AND (NOT s.public_only OR visibility = 'public')
      FROM persons WHERE id = s.person_id
    UNION ALL
    SELECT names[1], archived_at IS NULL FROM events WHERE id = s.event_id
  ) f ON true
  LEFT JOIN (hearings h JOIN cases hc ON hc.id = h.case_id) ON h.id = q.hearing_id
  LEFT JOIN hearings p ON p.id = h.postponed_to_id
  LEFT JOIN (custody_events e JOIN persons ep ON ep.id = e.person_id) ON e.id = q.event_id
  LEFT JOIN cases c ON c.id = coalesce(h.case_id, q.case_id, s.case_id)`;

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
  /** The facts of the messages being prepared, read in one statement per batch. */
  private readonly facts = new StatementBatcher(async (reminders: ClaimedReminder[]) => {
    const rows = await preparedQuery<FactsRow>(this.dataSource, 'delivery-message-facts-batch', FACTS_SQL, [
      reminders.map((r) => r.subscription_id),
      reminders.map((r) => r.hearing_id),
      reminders.map((r) => (r.notice === 'custody-changed' ? r.custody_event_id : null)),
      reminders.map((r) => r.case_id),
    ]);
    const byPlace = new Map(rows.map((row) => [Number(row.i) - 1, row]));
    return reminders.map((_, i) => byPlace.get(i) ?? null);
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly links: AlertLinks,
  ) {}

  async prepare(reminder: ClaimedReminder): Promise<Prepared> {
    const sub = await this.facts.call(reminder);
    if (!sub) return skip('cancelled', 'subscription not found');
    if (sub.advocate_archived) return skip('cancelled', 'advocate archived');
    if (sub.status === 'cancelled') return skip('cancelled', 'subscription cancelled');
    if (reminder.kind !== 'confirmation' && sub.status !== 'active')
      return skip('cancelled', 'subscription not active');

    // Every message names what the subscription follows: it must still be there for them to see
    // (a person or case archived or restricted since). Those told of a hearing still hear of its
    // cancellation.
    if (!sub.follows_visible && reminder.notice !== 'hearing-cancelled') {
      return skip('cancelled', 'followed record not visible');
    }

    /** Whether the recipient may be told of material with this visibility. */
    const mayKnow = (visibility: string) =>
      visibility !== 'restricted' && (!sub.public_only || visibility === 'public');

    let hearing: HearingFacts | null = null;
    if (reminder.hearing_id) {
      if (!sub.h_id) return skip('cancelled', 'hearing not found');
      const live = sub.h_status === 'scheduled' && !sub.h_archived && !sub.h_case_archived;
      const visible = mayKnow(sub.h_visibility) && mayKnow(sub.h_case_visibility);
      // A reminder or an announcement of a hearing ahead says nothing true once it is off or has
      // begun (a retry, or a backlog after an outage, can come late).
      if (
        reminder.kind === 'reminder' ||
        reminder.notice === 'hearing-scheduled' ||
        reminder.notice === 'hearing-changed'
      ) {
        if (!live) return skip('cancelled', 'hearing no longer scheduled');
        if (sub.h_starts_at.getTime() <= Date.now()) return skip('skipped', 'hearing already started');
      }
      // A reminder was planned for one start time; the hearing moved since has its own.
      if (reminder.kind === 'reminder' && reminder.hearing_starts_at?.getTime() !== sub.h_starts_at.getTime()) {
        return skip('cancelled', 'hearing moved');
      }
      // Those told of a hearing hear of its cancellation, even if it has been restricted since.
      if (!visible && reminder.notice !== 'hearing-cancelled') return skip('cancelled', 'hearing not visible');
      hearing = {
        id: sub.h_id,
        startsAt: sub.h_starts_at,
        timeZone: sub.h_time_zone,
        court: sub.h_court,
        courtroom: sub.h_courtroom,
        kind: sub.h_kind,
        status: sub.h_status,
        postponedTo:
          sub.h_postponed_to_id && sub.p_starts_at && sub.p_time_zone && !sub.p_archived && mayKnow(sub.p_visibility!)
            ? { startsAt: sub.p_starts_at, timeZone: sub.p_time_zone }
            : null,
      };
    } else if (reminder.kind === 'reminder') {
      return skip('cancelled', 'reminder without a hearing');
    }

    let custody: CustodyFacts | null = null;
    if (reminder.notice === 'custody-changed') {
      if (!reminder.custody_event_id) return skip('cancelled', 'custody event not found');
      if (!sub.e_id || sub.e_archived || sub.e_person_archived) return skip('cancelled', 'custody event not found');
      if (!mayKnow(sub.e_visibility) || !mayKnow(sub.e_person_visibility)) {
        return skip('cancelled', 'custody event not visible');
      }
      custody = {
        person: { id: sub.e_person_id, name: sub.e_display_name },
        status: sub.e_status,
        from: { date: sub.e_from_date, precision: sub.e_from_precision },
        place: sub.e_place,
        facility: sub.e_facility,
      };
    }

    let kase: CaseFacts | null = null;
    let defendants: PersonFacts[] = [];
    const caseId = hearing ? sub.h_case_id : (reminder.case_id ?? sub.case_id);
    if (caseId) {
      const visible = sub.c_id !== null && !sub.c_archived && mayKnow(sub.c_visibility);
      if (reminder.notice === 'verdict' && !visible) return skip('cancelled', 'case not visible');
      // A hearing's notice names its case (the hearing's visibility was checked above).
      if (sub.c_id && (visible || hearing)) {
        kase = {
          id: sub.c_id,
          title: sub.c_title,
          verdict:
            reminder.notice === 'verdict' && sub.c_verdict
              ? {
                  verdict: sub.c_verdict,
                  date:
                    sub.c_verdict_date && sub.c_verdict_precision
                      ? { date: sub.c_verdict_date, precision: sub.c_verdict_precision }
                      : null,
                  sentence: termOf(sub.c_sentence),
                }
              : null,
        };
        defendants = sub.c_defendants.filter((d) => mayKnow(d.visibility)).map((d) => ({ id: d.id, name: d.name }));
      }
    }

    const follows: MessageContext['follows'] = {
      type: sub.case_id ? 'case' : sub.person_id ? 'person' : 'event',
      name: sub.follows_name ?? '',
    };
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
        case: kase
          ? this.links.caseLink(kase.id, sub.c_visibility === 'public' && !sub.c_archived, sub.public_only)
          : null,
        // A confirmation carries it too (in its headers): it ends the follow request.
        unsubscribe: this.links.unsubscribeUrl(reminder.subscription_id),
        confirm: reminder.kind === 'confirmation' ? this.links.confirmUrl(reminder.subscription_id) : null,
      },
    };
    return {
      send: true,
      followsMore: sub.follows_more,
      recipient: { name: sub.name, email: sub.email, webhookUrl: sub.webhook_url, webhookSecret: sub.webhook_secret },
      context,
    };
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
