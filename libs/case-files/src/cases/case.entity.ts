import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { PartialDateColumns, RecordEntity, oneOf } from '#database';
import { EventEntity, SourceEntity } from '#reference-data';
import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { PersonEntity } from '../persons/person.entity.js';
import {
  CASE_STAGES,
  type CaseStage,
  type IntervalValue,
  PARTICIPANT_ROLES,
  type ParticipantRole,
  VERDICTS,
  type Verdict,
} from './case.js';

/** A proceeding against one or more people. */
@Entity('cases')
@Check(oneOf('visibility', VISIBILITIES))
@Check(oneOf('stage', CASE_STAGES))
@Check(oneOf('verdict', VERDICTS))
export class CaseEntity extends RecordEntity {
  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'text', nullable: true })
  court!: string | null;

  @Column({ type: 'text', nullable: true })
  jurisdiction!: string | null;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  stage!: CaseStage;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  eventId!: string | null;

  @ManyToOne(() => EventEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id' })
  event!: EventEntity | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  verdict!: Verdict | null;

  @Column(() => PartialDateColumns, { prefix: 'verdict' })
  verdictDate!: PartialDateColumns;

  @Column({ type: 'interval', nullable: true })
  sentence!: IntervalValue | null;

  @Column({ type: 'text', nullable: true })
  outcomeNote!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  @OneToMany(() => CaseParticipantEntity, (p) => p.case)
  participants!: Relation<CaseParticipantEntity>[];

  @OneToMany(() => ChargeEntity, (c) => c.case)
  charges!: Relation<ChargeEntity>[];

  /** The sources cited; their ids are read with `loadRelationIds` where they are shown. */
  @ManyToMany(() => SourceEntity)
  @JoinTable({ name: 'case_sources', joinColumn: { name: 'case_id' }, inverseJoinColumn: { name: 'source_id' } })
  sources!: SourceEntity[];
}

/** A person's part in a case: defendant, victim, relative, lawyer or witness. */
@Entity('case_participants')
@Unique(['caseId', 'personId', 'role'])
@Check(oneOf('role', PARTICIPANT_ROLES))
export class CaseParticipantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, (c) => c.participants, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case!: Relation<CaseEntity>;

  @Index()
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity>;

  @Column({ type: 'varchar', length: 20 })
  role!: ParticipantRole;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'integer' })
  position!: number;
}

/** A charge: the legal article, what it says, and the maximum sentence it carries. */
@Entity('case_charges')
export class ChargeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, (c) => c.charges, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case!: Relation<CaseEntity>;

  /** Article of the criminal code, e.g. "Art. 272 part 2 Criminal Code of Kazakhstan". */
  @Index('case_charges_article')
  @Column({ type: 'text', nullable: true })
  article!: string | null;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'interval', nullable: true })
  maxSentence!: IntervalValue | null;

  @Column({ type: 'integer' })
  position!: number;
}
