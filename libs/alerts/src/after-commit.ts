import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { DeliveryQueue } from './delivery-queue.js';

const PENDING = 'pendingReminderIds';

/**
 * Enqueues reminders planned in a transaction once that transaction has committed, and never
 * before (a job must not point at a row that is rolled back). If the process dies between the
 * commit and the enqueue, the reconciler finds the reminders without a job.
 */
@Injectable()
export class EnqueueAfterCommit implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger(EnqueueAfterCommit.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryQueue,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Remembers reminder ids to enqueue when the manager's transaction commits. */
  later(manager: EntityManager, reminderIds: string[]): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('reminders are planned inside a transaction');
    const pending = ((runner.data[PENDING] as string[] | undefined) ??= []);
    pending.push(...reminderIds);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const ids = event.queryRunner.data[PENDING] as string[] | undefined;
    if (!ids?.length) return;
    delete event.queryRunner.data[PENDING];
    await this.deliveries.enqueue(ids).catch((error: Error) => {
      // The reconciler will enqueue them; the change itself is committed.
      this.logger.warn(`could not enqueue ${ids.length} reminder(s) now (${error.message}); the reconciler will`);
    });
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[PENDING];
  }
}
