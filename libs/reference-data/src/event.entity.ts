import { PartialDateColumns, RecordEntity } from '#database';
import { Column, Entity, Index, JoinTable, ManyToMany, RelationId } from 'typeorm';
import { SourceEntity } from './source.entity.js';

/** A mass event (such as the January 2022 unrest in Kazakhstan) that many cases stem from. */
@Entity('events')
export class EventEntity extends RecordEntity {
  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  /** `names[0]` is the main name; the others are what the event is also called. */
  @Column({ type: 'text', array: true })
  names!: string[];

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column(() => PartialDateColumns, { prefix: 'start' })
  start!: PartialDateColumns;

  @Column(() => PartialDateColumns, { prefix: 'end' })
  end!: PartialDateColumns;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @ManyToMany(() => SourceEntity)
  @JoinTable({
    name: 'event_sources',
    joinColumn: { name: 'event_id' },
    inverseJoinColumn: { name: 'source_id' },
  })
  sources!: SourceEntity[];

  @RelationId((event: EventEntity) => event.sources)
  sourceIds!: string[];
}
