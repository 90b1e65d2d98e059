import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { RecordEntity, oneOf } from '#database';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { CaseEntity } from '../cases/case.entity.js';
import { HEARING_KINDS, HEARING_STATUSES, type HearingKind, type HearingStatus } from './hearing.js';

/** A court hearing: an instant plus the court's IANA time zone, so local time is always right. */
@Entity('hearings')
@Check(oneOf('kind', HEARING_KINDS))
@Check(oneOf('status', HEARING_STATUSES))
@Check(oneOf('visibility', VISIBILITIES))
@Index(['startsAt', 'seq'])
@Index(['caseId', 'startsAt'])
export class HearingEntity extends RecordEntity {
  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case!: Relation<CaseEntity>;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  /** IANA zone of the court, e.g. `Asia/Almaty`. Never a fixed offset. */
  @Column({ type: 'text' })
  timeZone!: string;

  @Column({ type: 'text', nullable: true })
  court!: string | null;

  @Column({ type: 'text', nullable: true })
  courtroom!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'other' })
  kind!: HearingKind;

  @Column({ type: 'varchar', length: 20, default: 'scheduled' })
  status!: HearingStatus;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ type: 'uuid', nullable: true })
  postponedToId!: string | null;

  /** `restricted`: only admins and users granted access to the case. */
  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  @ManyToOne(() => HearingEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'postponed_to_id' })
  postponedTo!: Relation<HearingEntity> | null;
}
