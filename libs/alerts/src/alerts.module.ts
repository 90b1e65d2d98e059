import { AuditModule } from '#audit';
import { QueueModule } from '#queue';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnqueueAfterCommit } from './after-commit.js';
import { AdvocateEntity } from './advocate.entity.js';
import { AdvocatesService } from './advocates.service.js';
import { CalendarService } from './calendar.service.js';
import { ChangePlanning } from './change-planning.js';
import { DeliveryQueue } from './delivery-queue.js';
import { DELIVERY_QUEUE } from './jobs.js';
import { AlertLinks } from './links.js';
import { ReminderEntity } from './reminder.entity.js';
import { ReminderPlanner } from './reminder-planner.js';
import { RemindersService } from './reminders.service.js';
import { PublicCaseService } from './public-case.service.js';
import { PublicFollowService } from './public-follow.service.js';
import { SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionsService } from './subscriptions.service.js';

export const ALERTS_ENTITIES = [AdvocateEntity, SubscriptionEntity, ReminderEntity];

/**
 * Advocates, their subscriptions, and the reminders planned for them. Imported by the API (which
 * plans and enqueues) and by the worker (which delivers).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(ALERTS_ENTITIES),
    AuditModule,
    QueueModule,
    BullModule.registerQueue({ name: DELIVERY_QUEUE }),
  ],
  providers: [
    ReminderPlanner,
    DeliveryQueue,
    EnqueueAfterCommit,
    ChangePlanning,
    AlertLinks,
    AdvocatesService,
    SubscriptionsService,
    PublicFollowService,
    PublicCaseService,
    CalendarService,
    RemindersService,
  ],
  exports: [
    ReminderPlanner,
    DeliveryQueue,
    EnqueueAfterCommit,
    AlertLinks,
    AdvocatesService,
    SubscriptionsService,
    PublicFollowService,
    PublicCaseService,
    CalendarService,
    RemindersService,
    // The delivery queue, for the worker's reconciler.
    BullModule,
  ],
})
export class AlertsModule {}
