import { AuditTrail } from '#audit';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EnqueueAfterCommit } from './after-commit.js';
import { ReminderPlanner } from './reminder-planner.js';

/**
 * Listens to the change feed of the case files (every audited change, in its transaction) and
 * plans reminders and notices from it; they are enqueued once the change commits.
 */
@Injectable()
export class ChangePlanning implements OnModuleInit {
  constructor(
    private readonly audit: AuditTrail,
    private readonly planner: ReminderPlanner,
    private readonly afterCommit: EnqueueAfterCommit,
  ) {}

  onModuleInit(): void {
    this.audit.onChange(async (manager, change) => {
      const ids = await this.planner.changeRecorded(manager, change);
      if (ids.length > 0) this.afterCommit.later(manager, ids);
    });
  }
}
