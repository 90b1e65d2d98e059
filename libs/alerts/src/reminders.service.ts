import { type SqlCondition, visibleCondition } from '#access';
import { AuditTrail, type Snapshot } from '#audit';
import { type Actor, ConflictError, NotFoundError, type Page, type Visibility, type WriteContext } from '#common';
import { paginate } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { EnqueueAfterCommit } from './after-commit.js';
import { ReminderEntity } from './reminder.entity.js';
import type { ListRemindersQueryDto, ReminderView } from './reminders.dto.js';

function reminderView(r: ReminderEntity): ReminderView {
  return {
    id: r.id,
    kind: r.kind,
    notice: r.notice,
    leadTime: r.leadTime,
    channel: r.channel,
    status: r.status,
    dueAt: r.dueAt.toISOString(),
    attempts: r.attempts,
    sentAt: r.sentAt?.toISOString() ?? null,
    lastError: r.lastError,
    advocateId: r.advocateId,
    subscriptionId: r.subscriptionId,
    hearingId: r.hearingId,
    caseId: r.caseId,
    personId: r.personId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function snapshot(r: ReminderEntity): Snapshot {
  return { status: r.status, attempts: r.attempts, dueAt: r.dueAt.toISOString(), lastError: r.lastError };
}

/**
 * What a reader may see of reminders: one about a restricted hearing, case, person or custody
 * event needs clearance on it, like the record itself (its ids would say that it exists).
 */
function remindersVisible(actor: Actor): SqlCondition[] {
  const related: Array<[table: string, column: string, condition: SqlCondition]> = [
    ['hearings', 'hearing_id', visibleCondition(actor, 'x.visibility', 'case', 'x.case_id')],
    ['cases', 'case_id', visibleCondition(actor, 'x.visibility', 'case', 'x.id')],
    ['persons', 'person_id', visibleCondition(actor, 'x.visibility', 'person', 'x.id')],
    ['custody_events', 'custody_event_id', visibleCondition(actor, 'x.visibility', 'person', 'x.person_id')],
  ];
  return related
    .filter(([, , condition]) => condition.sql !== 'TRUE')
    .map(([table, column, condition]) => ({
      sql: `NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.id = reminder.${column} AND NOT ${condition.sql})`,
      params: condition.params,
    }));
}

/**
 * Reminders as staff see them: a list to find failed deliveries (by status, advocate, hearing),
 * and a retry for a failed one. Sending is the worker's business (`DeliveryService`).
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly afterCommit: EnqueueAfterCommit,
  ) {}

  /** Reminders by due time (then in the order they were planned), filtered. */
  async list(query: ListRemindersQueryDto, reader: Actor): Promise<Page<ReminderView>> {
    const qb = this.visible(this.dataSource.manager, reader);
    if (query.status) qb.andWhere('reminder.status = :status', { status: query.status });
    if (query.advocateId) qb.andWhere('reminder.advocateId = :advocateId', { advocateId: query.advocateId });
    if (query.hearingId) qb.andWhere('reminder.hearingId = :hearingId', { hearingId: query.hearingId });
    const page = await paginate(
      qb,
      [
        { column: 'reminder.dueAt', read: (r) => r.dueAt.toISOString(), cast: 'timestamptz' },
        { column: 'reminder.seq', read: (r) => r.seq, cast: 'bigint' },
      ],
      query,
    );
    return { items: page.items.map(reminderView), nextCursor: page.nextCursor };
  }

  /**
   * Sends a failed reminder again: it becomes `scheduled`, due now, with its attempts counted
   * from zero, and its job is added once this commits. Only a failed one can be retried.
   */
  async retry(id: string, context: WriteContext): Promise<ReminderView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.visible(manager, context.actor)
        .andWhere('reminder.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!before) throw new NotFoundError('Reminder', id);
      if (before.status !== 'failed') {
        throw new ConflictError(`Only a failed reminder can be retried; this one is ${before.status}.`);
      }
      // Milliseconds only: the job id and the worker's claim compare the due time at that precision.
      const dueAt = new Date();
      await manager.update(
        ReminderEntity,
        { id },
        { status: 'scheduled', attempts: 0, dueAt, claimedAt: null, lastError: null },
      );
      const after = await manager.findOneByOrFail(ReminderEntity, { id });
      await this.audit.record(manager, context, {
        action: 'update',
        entityType: 'reminder',
        entityId: id,
        before: snapshot(before),
        after: snapshot(after),
        visibility: await this.visibilityOf(manager, after),
      });
      this.afterCommit.later(manager, [id]);
      return reminderView(after);
    });
  }

  private visible(manager: EntityManager, reader: Actor): SelectQueryBuilder<ReminderEntity> {
    const qb = manager.createQueryBuilder(ReminderEntity, 'reminder');
    for (const condition of remindersVisible(reader)) qb.andWhere(condition.sql, condition.params);
    return qb;
  }

  /** The visibilities of what the reminder is about; its audit entry takes the most restrictive. */
  private async visibilityOf(manager: EntityManager, r: ReminderEntity): Promise<Visibility[]> {
    const rows = await manager.query<Array<{ visibility: Visibility }>>(
      `SELECT visibility FROM hearings WHERE id = $1
       UNION ALL SELECT visibility FROM cases WHERE id = $2
       UNION ALL SELECT visibility FROM persons WHERE id = $3
       UNION ALL SELECT visibility FROM custody_events WHERE id = $4`,
      [r.hearingId, r.caseId, r.personId, r.custodyEventId],
    );
    return rows.map((row) => row.visibility);
  }
}
