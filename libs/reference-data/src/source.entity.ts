import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { PartialDateColumns, RecordEntity, oneOf } from '#database';
import { Check, Column, Entity, Index } from 'typeorm';

/** A published source (press report, court document, NGO statement) that facts are cited from. */
@Entity('sources')
@Check(oneOf('visibility', VISIBILITIES))
export class SourceEntity extends RecordEntity {
  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Column({ type: 'text' })
  publisher!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column(() => PartialDateColumns, { prefix: 'published' })
  published!: PartialDateColumns;

  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** `restricted` sources (a confidential informant, say) are seen by admins only. */
  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  /** How to reach the source: encrypted at rest, shown to admins only. */
  @Column({ type: 'text', nullable: true })
  contactDetails!: string | null;
}
