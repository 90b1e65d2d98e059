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
import { type Announcement, type Channel, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './alerts.js';
import { AdvocateEntity } from './advocate.entity.js';

/** An advocate follows one case, one person (all their cases) or one mass event. */
@Entity('subscriptions')
@Check(oneOf('status', SUBSCRIPTION_STATUSES))
@Check(`num_nonnulls("case_id", "person_id", "event_id") = 1`)
@Index(['caseId'], { where: "status = 'active'" })
@Index(['personId'], { where: "status = 'active'" })
@Index(['eventId'], { where: "status = 'active'" })
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Index()
  @Column({ type: 'uuid' })
  advocateId!: string;

  @ManyToOne(() => AdvocateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'advocate_id' })
  advocate!: Relation<AdvocateEntity>;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  eventId!: string | null;

  /** ISO 8601 durations before each hearing, e.g. `P7D`, `PT2H`. */
  @Column({ type: 'text', array: true })
  leadTimes!: string[];

  @Column({ type: 'text', array: true })
  channels!: Channel[];

  @Column({ type: 'text', array: true })
  announce!: Announcement[];

  @Column({ type: 'varchar', length: 12, default: 'active' })
  status!: SubscriptionStatus;

  /** Public followers only receive public material; staff-made subscriptions also internal. */
  @Column({ type: 'boolean', default: false })
  publicOnly!: boolean;

  /** SHA-256 of the double opt-in token, until confirmed. */
  @Column({ type: 'char', length: 64, nullable: true })
  confirmTokenHash!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
