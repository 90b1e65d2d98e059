import { oneOf } from '#database';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import {
  type Announcement,
  CHANNELS,
  type Channel,
  REMINDER_KINDS,
  REMINDER_STATUSES,
  type ReminderKind,
  type ReminderStatus,
} from './alerts.js';
import { SubscriptionEntity } from './subscription.entity.js';

/**
 * One message to one advocate on one channel: a reminder `leadTime` before a hearing, or a
 * notice of a change. PostgreSQL holds every reminder; the BullMQ job only says when to look at
 * it. `dedupeKey` makes planning the same thing twice harmless.
 */
@Entity('reminders')
@Check(oneOf('status', REMINDER_STATUSES))
@Check(oneOf('kind', REMINDER_KINDS))
@Check(oneOf('channel', CHANNELS))
@Index(['status', 'dueAt'])
@Index(['hearingId'])
export class ReminderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Index({ unique: true })
  @Column({ type: 'text' })
  dedupeKey!: string;

  @Index()
  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription!: Relation<SubscriptionEntity>;

  @Column({ type: 'uuid' })
  advocateId!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: ReminderKind;

  /** For notices: what changed. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  notice!: Announcement | null;

  /** For reminders: the ISO 8601 duration before the hearing. */
  @Column({ type: 'text', nullable: true })
  leadTime!: string | null;

  @Column({ type: 'varchar', length: 12 })
  channel!: Channel;

  @Column({ type: 'uuid', nullable: true })
  hearingId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  /** For notices about custody: the custody event. */
  @Column({ type: 'uuid', nullable: true })
  custodyEventId!: string | null;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  /** For reminders: the hearing start it was planned for (the hearing may have moved since). */
  @Column({ type: 'timestamptz', nullable: true })
  hearingStartsAt!: Date | null;

  @Column({ type: 'varchar', length: 12 })
  status!: ReminderStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When a worker claimed it (status `sending`). */
  @Column({ type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** The last delivery error, without message contents. */
  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
