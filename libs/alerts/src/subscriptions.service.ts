import { AuditTrail, type Snapshot } from '#audit';
import {
  type Actor,
  ConflictError,
  type FieldError,
  InvalidInputError,
  NotFoundError,
  type Page,
  type WriteContext,
} from '#common';
import { paginate } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { EnqueueAfterCommit } from './after-commit.js';
import { AdvocateEntity } from './advocate.entity.js';
import {
  ANNOUNCEMENTS,
  type Announcement,
  type Channel,
  DEFAULT_LEAD_TIMES,
  leadTimeSeconds,
  type SubscriptionStatus,
} from './alerts.js';
import { ReminderPlanner } from './reminder-planner.js';
import type { CreateSubscriptionDto, ListSubscriptionsQueryDto } from './subscription.dto.js';
import { SubscriptionEntity } from './subscription.entity.js';
import type { SubscriptionView } from './subscription.view.js';
import { followedVisible, TARGET_TABLES, type TargetKind, targetProblem } from './targets.js';

export const SUBSCRIPTION_ENTITY_TYPE = 'subscription';

const TARGET_KINDS = Object.keys(TARGET_TABLES) as TargetKind[];

export function subscriptionView(s: SubscriptionEntity): SubscriptionView {
  return {
    id: s.id,
    advocateId: s.advocateId,
    caseId: s.caseId,
    personId: s.personId,
    eventId: s.eventId,
    leadTimes: s.leadTimes,
    channels: s.channels,
    announce: s.announce,
    status: s.status,
    publicOnly: s.publicOnly,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    cancelledAt: s.cancelledAt?.toISOString() ?? null,
  };
}

function snapshot(s: SubscriptionEntity): Snapshot {
  const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = subscriptionView(s);
  return fields;
}

/** What a subscription follows: exactly one case, person or mass event. */
export interface SubscriptionTargetIds {
  caseId: string | null;
  personId: string | null;
  eventId: string | null;
}

/** The columns of a new subscription. */
export interface NewSubscription extends SubscriptionTargetIds {
  advocateId: string;
  leadTimes: string[];
  channels: Channel[];
  announce: Announcement[];
  status: SubscriptionStatus;
  publicOnly: boolean;
  confirmTokenHash?: string | null;
}

/** Field errors for lead times that are not positive ISO 8601 durations of days or less, or repeat. */
export function leadTimeProblems(leadTimes: string[]): FieldError[] {
  const seen = new Set<number>();
  return leadTimes.flatMap((value, i) => {
    const field = `leadTimes[${i}]`;
    const seconds = leadTimeSeconds(value);
    if (seconds === null) {
      return [
        {
          field,
          message:
            'must be a positive ISO 8601 duration of at most a year in weeks, days, hours, minutes or seconds ' +
            '(such as P7D or PT2H; months and years are refused)',
        },
      ];
    }
    if (seen.has(seconds)) return [{ field, message: 'repeats an earlier lead time' }];
    seen.add(seconds);
    return [];
  });
}

/**
 * Subscriptions: an advocate follows a case, a person (all their cases) or a mass event (all its
 * cases). Creating one plans its reminders in the same transaction; ending one cancels those
 * still scheduled. Nothing restricted can be followed (alerts never carry restricted material).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly planner: ReminderPlanner,
    private readonly afterCommit: EnqueueAfterCommit,
  ) {}

  async create(dto: CreateSubscriptionDto, context: WriteContext): Promise<SubscriptionView> {
    return this.dataSource.transaction(async (manager) => {
      const errors: FieldError[] = [];
      // Locked, so that two requests cannot both find no duplicate and both subscribe.
      const advocate = await manager
        .createQueryBuilder(AdvocateEntity, 'advocate')
        .where('advocate.id = :id', { id: dto.advocateId })
        .andWhere('advocate.archivedAt IS NULL')
        .setLock('pessimistic_write')
        .getOne();
      if (!advocate) errors.push({ field: 'advocateId', message: `no advocate with id ${dto.advocateId}` });

      const given = TARGET_KINDS.filter((kind) => dto[TARGET_TABLES[kind].field] !== undefined);
      if (given.length === 0) {
        errors.push({ field: 'caseId', message: 'give exactly one of caseId, personId or eventId' });
      }
      for (const kind of given.slice(1)) {
        errors.push({ field: TARGET_TABLES[kind].field, message: 'give exactly one of caseId, personId or eventId' });
      }
      if (given.length === 1) {
        const kind = given[0]!;
        const { field } = TARGET_TABLES[kind];
        const problem = await targetProblem(manager, context.actor, kind, dto[field]!, field, {
          refuseRestricted: true,
        });
        if (problem) errors.push(problem);
      }

      const leadTimes = dto.leadTimes ?? [...DEFAULT_LEAD_TIMES];
      errors.push(...leadTimeProblems(leadTimes));
      const channels = dto.channels ?? ['email'];
      const webhookProblem = !advocate
        ? null
        : !advocate.webhookUrl
          ? 'the advocate has no webhook URL; set one first'
          : !advocate.webhookSecret
            ? 'the advocate has no webhook signing secret; make one (POST /advocates/{id}/webhook-secret) first'
            : null;
      channels.forEach((channel, i) => {
        if (channel === 'webhook' && webhookProblem) errors.push({ field: `channels[${i}]`, message: webhookProblem });
      });
      if (errors.length > 0) throw new InvalidInputError(errors);

      const target: SubscriptionTargetIds = {
        caseId: dto.caseId ?? null,
        personId: dto.personId ?? null,
        eventId: dto.eventId ?? null,
      };
      if (await this.findOngoing(manager, dto.advocateId, target)) {
        throw new ConflictError('This advocate already follows this record; end that subscription first.');
      }
      const subscription = await this.insert(manager, context, {
        advocateId: dto.advocateId,
        ...target,
        leadTimes,
        channels,
        announce: dto.announce ?? [...ANNOUNCEMENTS],
        status: 'active',
        publicOnly: false,
      });
      await this.plan(manager, subscription.id);
      return subscriptionView(subscription);
    });
  }

  /** Inserts and audits a subscription in the caller's transaction (reminders are planned by the caller). */
  async insert(manager: EntityManager, context: WriteContext, fields: NewSubscription): Promise<SubscriptionEntity> {
    const repo = manager.getRepository(SubscriptionEntity);
    const saved = await repo.save(repo.create(fields));
    const stored = await manager.findOneByOrFail(SubscriptionEntity, { id: saved.id });
    await this.record(manager, context, 'create', null, stored);
    return stored;
  }

  /** The advocate's subscription to the same record that is active or awaiting confirmation, if any. */
  async findOngoing(
    manager: EntityManager,
    advocateId: string,
    target: SubscriptionTargetIds,
  ): Promise<SubscriptionEntity | null> {
    return manager
      .createQueryBuilder(SubscriptionEntity, 's')
      .where('s.advocateId = :advocateId', { advocateId })
      .andWhere("s.status IN ('active', 'pending')")
      .andWhere('s.caseId IS NOT DISTINCT FROM CAST(:caseId AS uuid)', { caseId: target.caseId })
      .andWhere('s.personId IS NOT DISTINCT FROM CAST(:personId AS uuid)', { personId: target.personId })
      .andWhere('s.eventId IS NOT DISTINCT FROM CAST(:eventId AS uuid)', { eventId: target.eventId })
      .getOne();
  }

  /** Plans (or cancels) the subscription's reminders, to be enqueued once the transaction commits. */
  async plan(manager: EntityManager, subscriptionId: string): Promise<void> {
    const ids = await this.planner.subscriptionChanged(manager, subscriptionId);
    if (ids.length > 0) this.afterCommit.later(manager, ids);
  }

  async get(id: string, reader: Actor): Promise<SubscriptionView> {
    const found = await this.visible(this.dataSource.manager, reader).andWhere('s.id = :id', { id }).getOne();
    if (!found) throw new NotFoundError('Subscription', id);
    return subscriptionView(found);
  }

  /** Subscriptions of live advocates, oldest first, filtered by advocate, followed record and status. */
  async list(query: ListSubscriptionsQueryDto, reader: Actor): Promise<Page<SubscriptionView>> {
    const qb = this.visible(this.dataSource.manager, reader);
    if (query.advocateId) qb.andWhere('s.advocateId = :advocateId', { advocateId: query.advocateId });
    if (query.caseId) qb.andWhere('s.caseId = :caseId', { caseId: query.caseId });
    if (query.personId) qb.andWhere('s.personId = :personId', { personId: query.personId });
    if (query.eventId) qb.andWhere('s.eventId = :eventId', { eventId: query.eventId });
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    const page = await paginate(qb, [{ column: 's.seq', read: (s) => s.seq, cast: 'bigint' }], query);
    return { items: page.items.map(subscriptionView), nextCursor: page.nextCursor };
  }

  /** Ends a subscription (kept, as `cancelled`) and cancels its scheduled reminders. Ending it again changes nothing. */
  async cancel(id: string, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.visible(manager, context.actor)
        .andWhere('s.id = :id', { id })
        .setLock('pessimistic_write', undefined, ['s'])
        .getOne();
      if (!found) throw new NotFoundError('Subscription', id);
      await this.end(manager, found, context);
    });
  }

  /** Ends a subscription loaded (and locked) by the caller, in its transaction. */
  async end(manager: EntityManager, before: SubscriptionEntity, context: WriteContext): Promise<void> {
    if (before.status === 'cancelled') return;
    await manager.update(
      SubscriptionEntity,
      { id: before.id },
      { status: 'cancelled', cancelledAt: () => 'now()', confirmTokenHash: null },
    );
    const after = await manager.findOneByOrFail(SubscriptionEntity, { id: before.id });
    await this.record(manager, context, 'update', before, after);
    await this.plan(manager, before.id);
  }

  /** Makes a pending subscription active (a follower confirmed it) and plans its reminders. */
  async activate(manager: EntityManager, before: SubscriptionEntity, context: WriteContext): Promise<void> {
    if (before.status !== 'pending') return;
    await manager.update(SubscriptionEntity, { id: before.id }, { status: 'active', confirmTokenHash: null });
    const after = await manager.findOneByOrFail(SubscriptionEntity, { id: before.id });
    await this.record(manager, context, 'update', before, after);
    await this.plan(manager, before.id);
  }

  /** Subscriptions of live advocates to records the reader may see. */
  private visible(manager: EntityManager, reader: Actor): SelectQueryBuilder<SubscriptionEntity> {
    const qb = manager
      .createQueryBuilder(SubscriptionEntity, 's')
      .innerJoin('s.advocate', 'advocate', 'advocate.archivedAt IS NULL');
    const condition = followedVisible(reader, 's');
    if (condition.sql !== 'TRUE') qb.andWhere(condition.sql, condition.params);
    return qb;
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update',
    before: SubscriptionEntity | null,
    after: SubscriptionEntity,
  ): Promise<void> {
    return this.audit.recordChange(manager, context, action, SUBSCRIPTION_ENTITY_TYPE, snapshot, before, after);
  }
}
