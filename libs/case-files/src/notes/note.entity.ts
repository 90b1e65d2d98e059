import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { RecordEntity, oneOf } from '#database';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { CaseEntity } from '../cases/case.entity.js';
import { PersonEntity } from '../persons/person.entity.js';

/**
 * A note in a person's or a case's file: a lawyer's strategy, a family contact, a source's
 * account. The body is always encrypted at rest; who may read it follows `visibility`.
 */
@Entity('notes')
@Check(oneOf('visibility', VISIBILITIES))
@Check(`num_nonnulls("person_id", "case_id") = 1`)
@Index(['personId', 'seq'])
@Index(['caseId', 'seq'])
export class NoteEntity extends RecordEntity {
  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case!: Relation<CaseEntity> | null;

  /** Encrypted (`enc:v1:...`). */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  @Column({ type: 'text' })
  authorLabel!: string;
}
