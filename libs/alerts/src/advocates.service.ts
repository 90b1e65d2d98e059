import { type AuditEntryView, AuditTrail, type Snapshot, withoutHiddenReferences } from '#audit';
import {
  type Actor,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type Page,
  roleAtLeast,
  type WriteContext,
} from '#common';
import { AppConfig } from '#config';
import { archiveRecord, findActive, paginate, recordMeta, restoreRecord, updateVersioned } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EnqueueAfterCommit } from './after-commit.js';
import { AdvocateEntity } from './advocate.entity.js';
import { SubscriptionEntity } from './subscription.entity.js';
import type { CreateAdvocateDto, ListAdvocatesQueryDto, UpdateAdvocateDto } from './advocate.dto.js';
import type { AdvocateCreatedView, AdvocateView, CalendarUrlView, WebhookSecretView } from './advocate.view.js';
import type { Language } from './alerts.js';
import { AlertLinks } from './links.js';
import { ReminderPlanner } from './reminder-planner.js';
import {
  CALENDAR_TOKEN_FIELD,
  calendarTokenHash,
  newCalendarToken,
  newWebhookSecret,
  WEBHOOK_SECRET_FIELD,
} from './secrets.js';
import { followedVisible, targetProblem, visiblePersonIds } from './targets.js';
import { webhookHostProblem } from './webhook-address.js';

export const ADVOCATE_ENTITY_TYPE = 'advocate';

/** Fields the audit trail keeps only encrypted, and never shows (a change to them shows as redacted). */
const SECRET_FIELDS = ['webhookSecret', 'calendarToken'];

/** What the audit trail keeps of an advocate: the secrets only as stored (encrypted). */
function snapshot(a: AdvocateEntity): Snapshot {
  return {
    name: a.name,
    email: a.email,
    language: a.language,
    timeZone: a.timeZone,
    webhookUrl: a.webhookUrl,
    webhookSecret: a.webhookSecret,
    personId: a.personId,
    calendarToken: a.calendarToken,
    selfService: a.selfService,
    archivedAt: a.archivedAt?.toISOString() ?? null,
  };
}

/**
 * A webhook URL as `reader` may see it: whole for editors, who manage it; else only its origin
 * (`https://hooks.example.org/…`), since receivers often carry their own secret in the path or query.
 */
function shownWebhookUrl(url: string | null, reader: Actor): string | null {
  if (url === null || roleAtLeast(reader.role, 'editor')) return url;
  return `${new URL(url).origin}/…`;
}

function view(a: AdvocateEntity, reader: Actor): AdvocateView {
  return recordMeta(a, {
    name: a.name,
    email: a.email,
    language: a.language,
    timeZone: a.timeZone,
    webhookUrl: shownWebhookUrl(a.webhookUrl, reader),
    hasWebhookSecret: a.webhookSecret !== null,
    personId: a.personId,
    selfService: a.selfService,
  });
}

/** The columns of a new advocate. */
export interface NewAdvocate {
  name: string;
  email: string;
  language: Language;
  timeZone: string;
  webhookUrl: string | null;
  personId: string | null;
  selfService: boolean;
  /** A webhook secret is made unless this is false (self-service advocates have no webhook). */
  withWebhookSecret: boolean;
}

/**
 * Advocates: the people outside the organisation who follow cases. Their email and webhook are
 * personal data, shown to signed-in staff. The webhook signing secret and the calendar token are
 * made by the server, stored encrypted (the token also as its SHA-256, to find the advocate by
 * it), and the secret is shown only when made. Archiving an advocate cancels their scheduled
 * reminders; restoring one plans them again.
 */
@Injectable()
export class AdvocatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly keyring: Keyring,
    private readonly links: AlertLinks,
    private readonly planner: ReminderPlanner,
    private readonly afterCommit: EnqueueAfterCommit,
    private readonly config: AppConfig,
  ) {}

  async create(dto: CreateAdvocateDto, context: WriteContext): Promise<AdvocateCreatedView> {
    this.checkWebhookHost(dto.webhookUrl);
    return this.dataSource.transaction(async (manager) => {
      await this.checkPerson(manager, context.actor, dto.personId);
      await this.assertEmailFree(manager, dto.email, null);
      const { advocate, webhookSecret } = await this.insert(manager, context, {
        name: dto.name,
        email: dto.email,
        language: dto.language ?? 'en',
        timeZone: dto.timeZone,
        webhookUrl: dto.webhookUrl ?? null,
        personId: dto.personId ?? null,
        selfService: false,
        withWebhookSecret: true,
      });
      const [presented] = await this.present(manager, [advocate], context.actor);
      return { ...presented!, webhookSecret: webhookSecret! };
    });
  }

  /**
   * Inserts an advocate with a new calendar token (and webhook secret), and audits it, in the
   * caller's transaction. Returns the secret in plain text (the only time it is).
   */
  async insert(
    manager: EntityManager,
    context: WriteContext,
    fields: NewAdvocate,
  ): Promise<{ advocate: AdvocateEntity; webhookSecret: string | null }> {
    const { withWebhookSecret, ...columns } = fields;
    const webhookSecret = withWebhookSecret ? newWebhookSecret() : null;
    const calendarToken = newCalendarToken();
    const repo = manager.getRepository(AdvocateEntity);
    const saved = await repo.save(
      repo.create({
        ...columns,
        webhookSecret: webhookSecret === null ? null : this.keyring.encrypt(webhookSecret, WEBHOOK_SECRET_FIELD),
        calendarToken: this.keyring.encrypt(calendarToken, CALENDAR_TOKEN_FIELD),
        calendarTokenHash: calendarTokenHash(calendarToken),
      }),
    );
    const advocate = await findActive(manager, AdvocateEntity, saved.id);
    await this.record(manager, context, 'create', null, advocate);
    return { advocate, webhookSecret };
  }

  async get(id: string, reader: Actor): Promise<AdvocateView> {
    const manager = this.dataSource.manager;
    const [presented] = await this.present(manager, [await findActive(manager, AdvocateEntity, id)], reader);
    return presented!;
  }

  /** Live advocates, oldest first, optionally by email or linked person. */
  async list(query: ListAdvocatesQueryDto, reader: Actor): Promise<Page<AdvocateView>> {
    const manager = this.dataSource.manager;
    const qb = manager.createQueryBuilder(AdvocateEntity, 'advocate').where('advocate.archivedAt IS NULL');
    if (query.email) qb.andWhere('advocate.email = :email', { email: query.email });
    if (query.personId) {
      // Asking by a person one may not see finds nothing, as if nobody were linked to it.
      const visible = await visiblePersonIds(manager, reader, [query.personId]);
      if (visible.length === 0) return { items: [], nextCursor: null };
      qb.andWhere('advocate.personId = :personId', { personId: query.personId });
    }
    const page = await paginate(qb, [{ column: 'advocate.seq', read: (a) => a.seq, cast: 'bigint' }], query);
    return { items: await this.present(manager, page.items, reader), nextCursor: page.nextCursor };
  }

  async update(id: string, dto: UpdateAdvocateDto, version: number, context: WriteContext): Promise<AdvocateView> {
    this.checkWebhookHost(dto.webhookUrl);
    return this.dataSource.transaction(async (manager) => {
      const before = await findActive(manager, AdvocateEntity, id, { lock: true });
      if (dto.personId !== undefined && dto.personId !== before.personId) {
        await this.checkPerson(manager, context.actor, dto.personId);
      }
      if (dto.email !== undefined && dto.email !== before.email) await this.assertEmailFree(manager, dto.email, id);
      if (dto.webhookUrl === null && before.webhookUrl !== null)
        await this.assertNoWebhookSubscriptions(manager, id, context.actor);
      await updateVersioned(
        manager,
        AdvocateEntity,
        id,
        {
          name: dto.name,
          email: dto.email,
          language: dto.language,
          timeZone: dto.timeZone,
          webhookUrl: dto.webhookUrl,
          personId: dto.personId,
        },
        version,
      );
      const after = await findActive(manager, AdvocateEntity, id);
      await this.record(manager, context, 'update', before, after);
      const [presented] = await this.present(manager, [after], context.actor);
      return presented!;
    });
  }

  /** Archives an advocate and cancels their scheduled reminders (their subscriptions are kept). */
  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await findActive(manager, AdvocateEntity, id, { lock: true });
      await archiveRecord(manager, AdvocateEntity, id, version);
      await manager.query(
        `UPDATE reminders SET status = 'cancelled', updated_at = now() WHERE advocate_id = $1 AND status = 'scheduled'`,
        [id],
      );
      const after = await this.findAny(manager, id);
      await this.record(manager, context, 'archive', before, after);
    });
  }

  /** Brings an archived advocate back (if their email is still free) and plans their reminders again. */
  async restore(id: string, context: WriteContext): Promise<AdvocateView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.findAny(manager, id, { lock: true });
      if (before.archivedAt) {
        await this.assertEmailFree(manager, before.email, id);
        await restoreRecord(manager, AdvocateEntity, id);
        const after = await findActive(manager, AdvocateEntity, id);
        await this.record(manager, context, 'restore', before, after);
        const subscriptions = await manager.query<Array<{ id: string }>>(
          `SELECT id FROM subscriptions WHERE advocate_id = $1 AND status = 'active'`,
          [id],
        );
        for (const subscription of subscriptions) {
          const ids = await this.planner.subscriptionChanged(manager, subscription.id);
          if (ids.length > 0) this.afterCommit.later(manager, ids);
        }
      }
      const [presented] = await this.present(manager, [await findActive(manager, AdvocateEntity, id)], context.actor);
      return presented!;
    });
  }

  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    await this.findAny(manager, id);
    // Secrets are kept encrypted in the trail and shown to nobody: a rotation shows as a redacted
    // change. The webhook URL is shown to editors only, as in the views.
    const history = await this.audit.history(ADVOCATE_ENTITY_TYPE, id, page, {
      clearance: false,
      restrictedFields: roleAtLeast(reader.role, 'editor') ? SECRET_FIELDS : [...SECRET_FIELDS, 'webhookUrl'],
    });
    return withoutHiddenReferences(history, { personId: (ids) => visiblePersonIds(manager, reader, ids) });
  }

  /** Makes a new webhook signing secret; the previous one stops being used at once. */
  async rotateWebhookSecret(id: string, context: WriteContext): Promise<WebhookSecretView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await findActive(manager, AdvocateEntity, id, { lock: true });
      const webhookSecret = newWebhookSecret();
      await updateVersioned(
        manager,
        AdvocateEntity,
        id,
        { webhookSecret: this.keyring.encrypt(webhookSecret, WEBHOOK_SECRET_FIELD) },
        before.version,
      );
      await this.record(manager, context, 'update', before, await findActive(manager, AdvocateEntity, id));
      return { webhookSecret };
    });
  }

  /** The advocate's private calendar URL. */
  async calendarUrl(id: string): Promise<CalendarUrlView> {
    const advocate = await findActive(this.dataSource.manager, AdvocateEntity, id);
    return { url: this.links.calendarUrl(this.keyring.decrypt(advocate.calendarToken, CALENDAR_TOKEN_FIELD)) };
  }

  /** Makes a new calendar URL; the previous one stops working at once. */
  async rotateCalendarUrl(id: string, context: WriteContext): Promise<CalendarUrlView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await findActive(manager, AdvocateEntity, id, { lock: true });
      const token = newCalendarToken();
      await updateVersioned(
        manager,
        AdvocateEntity,
        id,
        {
          calendarToken: this.keyring.encrypt(token, CALENDAR_TOKEN_FIELD),
          calendarTokenHash: calendarTokenHash(token),
        },
        before.version,
      );
      await this.record(manager, context, 'update', before, await findActive(manager, AdvocateEntity, id));
      return { url: this.links.calendarUrl(token) };
    });
  }

  /** Views for one reader: a linked person the reader may not see is not named. */
  private async present(manager: EntityManager, advocates: AdvocateEntity[], reader: Actor): Promise<AdvocateView[]> {
    const linked = advocates.flatMap((a) => (a.personId ? [a.personId] : []));
    const visible = new Set(await visiblePersonIds(manager, reader, linked));
    return advocates.map((a) => ({
      ...view(a, reader),
      personId: a.personId && visible.has(a.personId) ? a.personId : null,
    }));
  }

  /**
   * Refuses a webhook URL whose host is plainly on a private network (an IP literal such as
   * 169.254.169.254 or 10.0.0.5, `localhost`), unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES is set.
   * A name that resolves to such an address is refused when the webhook is sent.
   */
  private checkWebhookHost(webhookUrl: string | null | undefined): void {
    if (typeof webhookUrl !== 'string' || this.config.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES) return;
    const problem = webhookHostProblem(webhookUrl);
    if (problem) throw InvalidInputError.field('webhookUrl', problem);
  }

  private async checkPerson(manager: EntityManager, actor: Actor, personId: string | null | undefined): Promise<void> {
    if (!personId) return;
    const problem = await targetProblem(manager, actor, 'person', personId, 'personId');
    if (problem) throw new InvalidInputError([problem]);
  }

  /** Refuses an email another live advocate has (the unique index would too, without saying why). */
  private async assertEmailFree(manager: EntityManager, email: string, selfId: string | null): Promise<void> {
    const [taken] = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM advocates WHERE email = $1 AND archived_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [email, selfId],
    );
    if (taken) throw new ConflictError('Another advocate has this email address.');
  }

  /**
   * Refuses to remove the webhook URL while a subscription delivers by webhook, naming one the
   * actor may see (they can end it); one that follows what the actor may not see is not named.
   */
  private async assertNoWebhookSubscriptions(manager: EntityManager, id: string, actor: Actor): Promise<void> {
    const visible = followedVisible(actor, 's');
    const [used] = await manager
      .createQueryBuilder(SubscriptionEntity, 's')
      .select('s.id', 'id')
      .addSelect(visible.sql, 'visible')
      .setParameters(visible.params)
      .where('s.advocateId = :id', { id })
      .andWhere("s.status <> 'cancelled' AND 'webhook' = ANY(s.channels)")
      .orderBy('visible', 'DESC')
      .limit(1)
      .getRawMany<{ id: string; visible: boolean }>();
    if (!used) return;
    const which = used.visible ? `Subscription ${used.id}` : 'A subscription';
    throw new ConflictError(
      `${which} of this advocate delivers by webhook; end it before removing the webhook URL.` +
        (used.visible ? '' : ' It follows a record you may not see: ask an admin.'),
    );
  }

  /** An advocate, archived or not, else NotFoundError. */
  private async findAny(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<AdvocateEntity> {
    const qb = manager.createQueryBuilder(AdvocateEntity, 'advocate').where('advocate.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    if (!found) throw new NotFoundError('Advocate', id);
    return found;
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    before: AdvocateEntity | null,
    after: AdvocateEntity,
  ): Promise<void> {
    return this.audit.recordChange(manager, context, action, ADVOCATE_ENTITY_TYPE, snapshot, before, after);
  }
}
