/**
 * The job contract shared by the API (producer) and the worker (consumer). A job carries ids
 * only: the worker re-reads the reminder from PostgreSQL, which alone says whether and what to send.
 */
export const DELIVERY_QUEUE = 'deliveries';
export const RECONCILE_QUEUE = 'reminders-reconcile';

export interface DeliveryJob {
  reminderId: string;
  /** The due time this job was scheduled for; a reminder moved since has a job of its own. */
  dueAt: string;
}

/**
 * Deterministic: the same reminder at the same due time is one job, however often it is
 * enqueued. BullMQ job ids must not contain `:`.
 */
export function deliveryJobId(reminderId: string, dueAt: Date): string {
  return `${reminderId}-${dueAt.getTime()}`;
}
