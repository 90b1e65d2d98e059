import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { PartialDateColumns, RecordEntity, oneOf } from '#database';
import { SourceEntity } from '#reference-data';
import { Check, Column, Entity, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne, type Relation } from 'typeorm';
import { PersonEntity } from '../persons/person.entity.js';
import { CUSTODY_STATUSES, type CustodyStatus } from './custody.js';

/**
 * One step of a person's custody history. History is appended to; an event entered wrongly is
 * corrected (with a reason, kept in the audit trail) or archived, never deleted.
 */
@Entity('custody_events')
@Check(oneOf('status', CUSTODY_STATUSES))
@Check(oneOf('visibility', VISIBILITIES))
@Check(`"from_date" IS NOT NULL AND "from_precision" IS NOT NULL AND "from_sort" IS NOT NULL`)
export class CustodyEventEntity extends RecordEntity {
  @Index()
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity>;

  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  status!: CustodyStatus;

  @Column(() => PartialDateColumns, { prefix: 'from' })
  from!: PartialDateColumns;

  /** Town or region. */
  @Column({ type: 'text', nullable: true })
  place!: string | null;

  /** Detention facility, when known. */
  @Column({ type: 'text', nullable: true })
  facility!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** `restricted` (an undisclosed place of detention, say): admins and users granted on the person. */
  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  /** The sources cited; their ids are read with `loadRelationIds` where they are shown. */
  @ManyToMany(() => SourceEntity)
  @JoinTable({
    name: 'custody_event_sources',
    joinColumn: { name: 'custody_event_id' },
    inverseJoinColumn: { name: 'source_id' },
  })
  sources!: SourceEntity[];
}
