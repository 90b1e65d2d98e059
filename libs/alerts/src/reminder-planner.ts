import type { RecordedChange, Snapshot } from '#audit';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Announcement, type Channel, leadTimeSeconds } from './alerts.js';
import { SubscriptionEntity } from './subscription.entity.js';

/** A hearing with what planning needs of its case. */
interface HearingRow {
  id: string;
  case_id: string;
  person_ids: string[];
  event_id: string | null;
  starts_at: Date;
  status: string;
  version: number;
  visibility: string;
  case_visibility: string;
  live: boolean;
}

interface Planned {
  dedupeKey: string;
  subscription: SubscriptionEntity;
  channel: Channel;
  kind: 'reminder' | 'notice';
  notice?: Announcement;
  leadTime?: string;
  dueAt: Date;
  hearingStartsAt?: Date | null;
  hearingId?: string | null;
  caseId?: string | null;
  personId?: string | null;
  custodyEventId?: string | null;
}

/** What a custody notice says of the event. */
const CUSTODY_NOTICE_FIELDS = ['status', 'from', 'place', 'facility'];

/** What a hearing's notices are about: the hearing in this version. */
const hearingSubject = (hearing: Pick<HearingRow, 'id' | 'version'>) => `hearing/${hearing.id}/v${hearing.version}`;

const changed = (before: Snapshot | null | undefined, after: Snapshot | null | undefined, fields: string[]) =>
  fields.some((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null));

/**
 * Turns changes to the case files into reminders and notices, stored in PostgreSQL in the
 * transaction of the change. Returns the ids of reminders to (re)enqueue once it commits.
 *
 * - A live hearing (scheduled, not archived, not restricted, nor its case) gets, for every
 *   active subscription that follows its case, one of its persons or its mass event, one
 *   reminder per lead time and channel. A lead time already past is `skipped`.
 * - The dedupe key holds the hearing's start, so moving a hearing plans new reminders and
 *   cancels the ones for the old time; planning the same state twice changes nothing.
 * - Notices (scheduled, changed, cancelled, custody changed, verdict) go out at once, once per
 *   version of the record, to subscriptions that asked for them.
 * - Subscriptions with `publicOnly` (self-service followers) see only public material.
 */
@Injectable()
export class ReminderPlanner {
  async changeRecorded(manager: EntityManager, change: RecordedChange): Promise<string[]> {
    switch (change.entityType) {
      case 'hearing':
        return this.hearingChanged(manager, change);
      case 'custody-event':
        // A correction is announced when it changes what the notice says (not a note or a source).
        return change.action === 'create' ||
          (change.action === 'update' && changed(change.before, change.after, CUSTODY_NOTICE_FIELDS))
          ? this.custodyChanged(manager, change)
          : [];
      case 'case': {
        // Who follows its hearings: its persons and mass event; whether they are live or visible.
        const followers = changed(change.before, change.after, ['participants', 'eventId', 'visibility', 'archivedAt']);
        const replanned = followers ? await this.caseChanged(manager, change) : [];
        const outcome = (snapshot: Snapshot | null | undefined) => {
          const { note: _note, ...told } = (snapshot?.outcome ?? {}) as Record<string, unknown>;
          return { outcome: told };
        };
        // A verdict is announced when it is given or what the notice says changes (not its note).
        const verdict =
          changed(outcome(change.before), outcome(change.after), ['outcome']) && change.after?.outcome
            ? await this.verdictGiven(manager, change.entityId)
            : [];
        return [...replanned, ...verdict];
      }
      default:
        return [];
    }
  }

  /** Plans reminders for every upcoming hearing a (new or re-activated) subscription follows. */
  async subscriptionChanged(manager: EntityManager, subscriptionId: string): Promise<string[]> {
    const subscription = await manager.findOneByOrFail(SubscriptionEntity, { id: subscriptionId });
    if (subscription.status !== 'active') {
      await this.cancel(manager, 'subscription_id = $1', [subscriptionId]);
      return [];
    }
    const hearings = await this.hearings(
      manager,
      `h.starts_at > now() AND (c.id = $1 OR c.event_id = $2 OR EXISTS (
         SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND p.person_id = $3))`,
      [subscription.caseId, subscription.eventId, subscription.personId],
    );
    const planned = hearings
      .filter((h) => h.live && this.mayReach(subscription, h))
      .flatMap((h) => this.reminders(subscription, h));
    return this.store(manager, planned);
  }

  private async hearingChanged(manager: EntityManager, change: RecordedChange): Promise<string[]> {
    const [hearing] = await this.hearings(manager, 'h.id = $1', [change.entityId]);
    if (!hearing) return [];
    const subscriptions = await this.followers(manager, hearing);
    const planned = await this.replan(manager, hearing, subscriptions);
    const notice = this.hearingNotice(change, hearing);
    // Followers who could not see the hearing before this change and can now (it was made public,
    // or is no longer restricted) hear that it is scheduled, whatever else changed.
    const before = { ...hearing, visibility: String(change.before?.visibility ?? hearing.visibility) };
    const newlyShown =
      change.action === 'update' && hearing.live && hearing.starts_at.getTime() > Date.now()
        ? subscriptions.filter((s) => this.mayReach(s, hearing) && !this.mayReach(s, before))
        : [];
    if (notice) {
      // A cancellation reaches those who could see the hearing before this change (even if it
      // became restricted with it), and no one else.
      const audience = subscriptions.filter(
        (s) => this.mayReach(s, notice === 'hearing-cancelled' ? before : hearing) && !newlyShown.includes(s),
      );
      planned.push(
        ...(await this.supersede(
          manager,
          notice,
          audience.flatMap((s) => this.notices(s, notice, hearingSubject(hearing), hearing)),
        )),
      );
    }
    planned.push(...(await this.announceScheduled(manager, [{ hearing, subscriptions: newlyShown }])));
    return this.store(manager, planned);
  }

  /**
   * Notices of a hearing tell its state when they are sent, so a new one makes the earlier ones to
   * the same subscriptions that are not sent yet out of date: they are cancelled. But a
   * change needs no notice of its own while the announcement that it was scheduled still waits
   * (it will give the new state). `notices` may be about several hearings (all of the kind
   * `notice`); their earlier notices are read in one statement. Returns the notices to store.
   */
  private async supersede(manager: EntityManager, notice: Announcement, notices: Planned[]): Promise<Planned[]> {
    if (notices.length === 0) return [];
    const to = (hearingId: string | null | undefined, subscriptionId: string, channel?: string) =>
      `${hearingId}/${subscriptionId}${channel === undefined ? '' : `/${channel}`}`;
    const addressed = new Set(notices.map((p) => to(p.hearingId, p.subscription.id)));
    const unsent = (
      await manager.query<
        Array<{
          id: string;
          dedupe_key: string;
          notice: string;
          status: string;
          hearing_id: string;
          subscription_id: string;
          channel: string;
        }>
      >(
        `SELECT id, dedupe_key, notice, status, hearing_id, subscription_id, channel FROM reminders
          WHERE hearing_id = ANY($1) AND kind = 'notice' AND status IN ('scheduled', 'failed')
            AND subscription_id = ANY($2)`,
        [[...new Set(notices.map((p) => p.hearingId))], [...new Set(notices.map((p) => p.subscription.id))]],
      )
    ).filter((r) => addressed.has(to(r.hearing_id, r.subscription_id)));
    const waiting = (r: (typeof unsent)[number]) => r.notice === 'hearing-scheduled' && r.status === 'scheduled';
    const announcing = new Set(unsent.filter(waiting).map((r) => to(r.hearing_id, r.subscription_id, r.channel)));
    const kept =
      notice === 'hearing-changed'
        ? notices.filter((p) => !announcing.has(to(p.hearingId, p.subscription.id, p.channel)))
        : notices;
    const keys = new Set(kept.map((p) => p.dedupeKey));
    const obsolete = unsent.filter((r) => !keys.has(r.dedupe_key) && !(notice === 'hearing-changed' && waiting(r)));
    if (obsolete.length > 0) await this.cancel(manager, 'id = ANY($1)', [obsolete.map((r) => r.id)]);
    return kept;
  }

  /** "Scheduled" notices of hearings to followers who could not know of them until now. */
  private announceScheduled(
    manager: EntityManager,
    shown: Array<{ hearing: HearingRow; subscriptions: SubscriptionEntity[] }>,
  ): Promise<Planned[]> {
    return this.supersede(
      manager,
      'hearing-scheduled',
      shown.flatMap(({ hearing, subscriptions }) =>
        subscriptions.flatMap((s) => this.notices(s, 'hearing-scheduled', hearingSubject(hearing), hearing)),
      ),
    );
  }

  /**
   * A case's persons, mass event, visibility or archiving changed: the reminders of its hearings
   * ahead follow (a new defendant's followers get them, a removed one's are cancelled). Followers
   * who could not know of a live hearing ahead before the change and can now (the case was made
   * public or is no longer restricted, their person was added to it, it joined their mass event)
   * hear that it is scheduled; the others hear nothing, the hearings themselves did not change.
   */
  private async caseChanged(manager: EntityManager, change: RecordedChange): Promise<string[]> {
    const hearings = await this.hearings(manager, 'h.case_id = $1 AND h.starts_at > now()', [change.entityId]);
    if (hearings.length === 0) return [];
    // Followers are of the case, its persons and its event: the same for each of its hearings.
    const subscriptions = await this.followers(manager, hearings[0]!);
    const before = change.action === 'update' && !change.before?.archivedAt ? change.before : null;
    const personsBefore = new Set(((before?.participants ?? []) as Array<{ personId: string }>).map((p) => p.personId));
    const followedBefore = (s: SubscriptionEntity) =>
      s.caseId === change.entityId ||
      (s.eventId !== null && s.eventId === before?.eventId) ||
      (s.personId !== null && personsBefore.has(s.personId));
    const planned: Planned[] = [];
    const shown: Array<{ hearing: HearingRow; subscriptions: SubscriptionEntity[] }> = [];
    for (const hearing of hearings) {
      planned.push(...(await this.replan(manager, hearing, subscriptions)));
      if (!before || !hearing.live) continue;
      const seenBefore = { ...hearing, case_visibility: String(before.visibility ?? hearing.case_visibility) };
      const newlyShown = subscriptions.filter(
        (s) => this.mayReach(s, hearing) && !(followedBefore(s) && this.mayReach(s, seenBefore)),
      );
      shown.push({ hearing, subscriptions: newlyShown });
    }
    planned.push(...(await this.announceScheduled(manager, shown)));
    return this.store(manager, planned);
  }

  /**
   * The reminders `hearing` should have for its current followers (none when it is not live);
   * its other reminders (for another start time, a subscription that no longer follows it, a
   * hearing no longer live) are cancelled. Returns what is to be stored.
   */
  private async replan(
    manager: EntityManager,
    hearing: HearingRow,
    subscriptions: SubscriptionEntity[],
  ): Promise<Planned[]> {
    const planned = hearing.live
      ? subscriptions.filter((s) => this.mayReach(s, hearing)).flatMap((s) => this.reminders(s, hearing))
      : [];
    await this.cancel(manager, "hearing_id = $1 AND kind = 'reminder' AND NOT (dedupe_key = ANY($2))", [
      hearing.id,
      planned.map((p) => p.dedupeKey),
    ]);
    return planned;
  }

  /**
   * Which notice a change to a hearing calls for, if any. Only hearings ahead are announced (at
   * their new or their previous time): recording a past hearing, or one that was held, tells
   * followers nothing they need before a court date.
   */
  private hearingNotice(change: RecordedChange, hearing: HearingRow): Announcement | null {
    const { before, after } = change;
    const now = Date.now();
    const previousStart = change.action === 'create' ? null : before?.startsAt;
    const ahead =
      hearing.starts_at.getTime() > now || (typeof previousStart === 'string' && Date.parse(previousStart) > now);
    if (!ahead) return null;
    const wasLive = change.action !== 'create' && before?.status === 'scheduled' && !before?.archivedAt;
    if (change.action === 'create' || change.action === 'restore') return hearing.live ? 'hearing-scheduled' : null;
    // A hearing that took place is not cancelled: its remaining reminders just stop.
    if (!hearing.live) return wasLive && hearing.status !== 'held' ? 'hearing-cancelled' : null;
    if (!wasLive) return 'hearing-scheduled';
    return changed(before, after, ['startsAt', 'timeZone', 'court', 'courtroom']) ? 'hearing-changed' : null;
  }

  private async custodyChanged(manager: EntityManager, change: RecordedChange): Promise<string[]> {
    const [event] = await manager.query<
      Array<{ person_id: string; visibility: string; person_visibility: string; version: number }>
    >(
      `SELECT e.person_id, e.visibility, p.visibility AS person_visibility, e.version
         FROM custody_events e JOIN persons p ON p.id = e.person_id
        WHERE e.id = $1 AND e.archived_at IS NULL AND p.archived_at IS NULL`,
      [change.entityId],
    );
    if (!event || event.visibility === 'restricted' || event.person_visibility === 'restricted') return [];
    const isPublic = event.visibility === 'public' && event.person_visibility === 'public';
    // Followers of the person, of their cases, and of the mass events of their cases, through
    // live cases they may know of only (not restricted; public ones for self-service followers):
    // the message names the case or event they follow, which would tell of the person's part in it.
    const subscriptions = await this.activeSubscriptions(
      manager,
      `s.person_id = $1
       OR EXISTS (SELECT 1 FROM case_participants cp JOIN cases c ON c.id = cp.case_id
                   WHERE cp.person_id = $1 AND (c.id = s.case_id OR c.event_id = s.event_id)
                     AND c.archived_at IS NULL AND c.visibility <> 'restricted'
                     AND (NOT s.public_only OR c.visibility = 'public'))`,
      [event.person_id],
    );
    const planned = subscriptions
      .filter((s) => !s.publicOnly || isPublic)
      .flatMap((s) =>
        this.notices(s, 'custody-changed', `custody/${change.entityId}/v${event.version}`, {
          personId: event.person_id,
          custodyEventId: change.entityId,
        }),
      );
    return this.store(manager, planned);
  }

  private async verdictGiven(manager: EntityManager, caseId: string): Promise<string[]> {
    const [found] = await manager.query<Array<{ visibility: string; event_id: string | null; version: number }>>(
      `SELECT visibility, event_id, version FROM cases WHERE id = $1 AND archived_at IS NULL`,
      [caseId],
    );
    if (!found || found.visibility === 'restricted') return [];
    const subscriptions = await this.activeSubscriptions(
      manager,
      `s.case_id = $1 OR s.event_id = $2 OR s.person_id IN (SELECT person_id FROM case_participants WHERE case_id = $1)`,
      [caseId, found.event_id],
    );
    const planned = subscriptions
      .filter((s) => !s.publicOnly || found.visibility === 'public')
      .flatMap((s) => this.notices(s, 'verdict', `verdict/${caseId}/v${found.version}`, { caseId }));
    return this.store(manager, planned);
  }

  private reminders(subscription: SubscriptionEntity, hearing: HearingRow): Planned[] {
    return subscription.leadTimes.flatMap((leadTime) =>
      subscription.channels.map((channel) => ({
        dedupeKey: `reminder/${subscription.id}/${hearing.id}/${hearing.starts_at.getTime()}/${leadTime}/${channel}`,
        subscription,
        channel,
        kind: 'reminder' as const,
        leadTime,
        dueAt: new Date(hearing.starts_at.getTime() - leadTimeSeconds(leadTime)! * 1000),
        hearingStartsAt: hearing.starts_at,
        hearingId: hearing.id,
        caseId: hearing.case_id,
      })),
    );
  }

  private notices(
    subscription: SubscriptionEntity,
    notice: Announcement,
    subject: string,
    about: { id?: string; case_id?: string; personId?: string; custodyEventId?: string; caseId?: string },
  ): Planned[] {
    if (!subscription.announce.includes(notice)) return [];
    return subscription.channels.map((channel) => ({
      dedupeKey: `notice/${subscription.id}/${notice}/${subject}/${channel}`,
      subscription,
      channel,
      kind: 'notice' as const,
      notice,
      dueAt: new Date(),
      hearingId: about.id ?? null,
      caseId: about.case_id ?? about.caseId ?? null,
      personId: about.personId ?? null,
      custodyEventId: about.custodyEventId ?? null,
    }));
  }

  /**
   * Whether a subscription may hear of this hearing: never of restricted material, and
   * self-service followers only of public material.
   */
  private mayReach(
    subscription: SubscriptionEntity,
    hearing: Pick<HearingRow, 'visibility' | 'case_visibility'>,
  ): boolean {
    if (hearing.visibility === 'restricted' || hearing.case_visibility === 'restricted') return false;
    return !subscription.publicOnly || (hearing.visibility === 'public' && hearing.case_visibility === 'public');
  }

  private async hearings(manager: EntityManager, where: string, params: unknown[]): Promise<HearingRow[]> {
    return manager.query<HearingRow[]>(
      `SELECT h.id, h.case_id, c.event_id, h.starts_at, h.status, h.version, h.visibility,
              c.visibility AS case_visibility,
              ARRAY(SELECT p.person_id FROM case_participants p WHERE p.case_id = c.id) AS person_ids,
              (h.status = 'scheduled' AND h.archived_at IS NULL AND c.archived_at IS NULL) AS live
         FROM hearings h JOIN cases c ON c.id = h.case_id
        WHERE ${where}`,
      params,
    );
  }

  private followers(manager: EntityManager, hearing: HearingRow): Promise<SubscriptionEntity[]> {
    return this.activeSubscriptions(manager, 's.case_id = $1 OR s.event_id = $2 OR s.person_id = ANY($3)', [
      hearing.case_id,
      hearing.event_id,
      hearing.person_ids,
    ]);
  }

  private async activeSubscriptions(
    manager: EntityManager,
    where: string,
    params: unknown[],
  ): Promise<SubscriptionEntity[]> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT s.id FROM subscriptions s JOIN advocates a ON a.id = s.advocate_id
        WHERE s.status = 'active' AND a.archived_at IS NULL AND (${where})`,
      params,
    );
    if (rows.length === 0) return [];
    return manager.getRepository(SubscriptionEntity).findBy(rows.map((r) => ({ id: r.id })));
  }

  /**
   * Cancels the unsent reminders matching `where` (over the `reminders` table): scheduled ones,
   * and failed ones, which an editor could otherwise retry when they no longer say what is true.
   * One being sent right now is left to its worker, which re-reads everything before it sends.
   */
  private async cancel(manager: EntityManager, where: string, params: unknown[]): Promise<void> {
    await manager.query(
      `UPDATE reminders SET status = 'cancelled', updated_at = now()
        WHERE status IN ('scheduled', 'failed') AND ${where}`,
      params,
    );
  }

  /**
   * Inserts what is planned, leaving reminders already planned as they are (`ON CONFLICT DO
   * NOTHING`); a reminder cancelled earlier and planned again is scheduled again. Returns the ids
   * of scheduled reminders among them.
   */
  private async store(manager: EntityManager, planned: Planned[]): Promise<string[]> {
    if (planned.length === 0) return [];
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < planned.length; i += 500) {
      const batch = planned.slice(i, i + 500);
      const rows = await manager.query<Array<{ id: string; status: string }>>(
        `INSERT INTO reminders (dedupe_key, subscription_id, advocate_id, kind, notice, lead_time, channel,
                                hearing_id, case_id, person_id, custody_event_id, due_at, status, hearing_starts_at)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::text[],
                              $7::varchar[], $8::uuid[], $9::uuid[], $10::uuid[], $11::uuid[], $12::timestamptz[],
                              $13::varchar[], $14::timestamptz[])
         ON CONFLICT (dedupe_key) DO UPDATE SET status = 'scheduled', updated_at = now()
           WHERE reminders.status = 'cancelled' AND EXCLUDED.status = 'scheduled'
         RETURNING id, status`,
        [
          batch.map((p) => p.dedupeKey),
          batch.map((p) => p.subscription.id),
          batch.map((p) => p.subscription.advocateId),
          batch.map((p) => p.kind),
          batch.map((p) => p.notice ?? null),
          batch.map((p) => p.leadTime ?? null),
          batch.map((p) => p.channel),
          batch.map((p) => p.hearingId ?? null),
          batch.map((p) => p.caseId ?? null),
          batch.map((p) => p.personId ?? null),
          batch.map((p) => p.custodyEventId ?? null),
          batch.map((p) => p.dueAt),
          // A reminder whose time has passed when it is planned is skipped; notices go at once.
          batch.map((p) => (p.kind === 'reminder' && p.dueAt.getTime() < now ? 'skipped' : 'scheduled')),
          batch.map((p) => p.hearingStartsAt ?? null),
        ],
      );
      ids.push(...rows.filter((r) => r.status === 'scheduled').map((r) => r.id));
    }
    return ids;
  }
}

/**
 * The message a reminder is, whichever of the advocate's subscriptions planned it: its dedupe key
 * with the advocate in place of the subscription (null for a confirmation, one per request).
 * Kept beside the keys it reads (`reminders`, `notices` above).
 */
export function messageKey(reminder: {
  dedupe_key: string;
  subscription_id: string;
  advocate_id: string;
}): string | null {
  const prefix = /^(reminder|notice)\//.exec(reminder.dedupe_key);
  if (!prefix) return null;
  const own = `${prefix[0]}${reminder.subscription_id}/`;
  if (!reminder.dedupe_key.startsWith(own)) return null;
  return `${prefix[0]}${reminder.advocate_id}/${reminder.dedupe_key.slice(own.length)}`;
}
