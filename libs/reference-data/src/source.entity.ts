import { PartialDateColumns, RecordEntity } from '#database';
import { Column, Entity, Index } from 'typeorm';

/** A published source (press report, court document, NGO statement) that facts are cited from. */
@Entity('sources')
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
}
