import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { oneOf, RecordEntity } from '#database';
import { PersonEntity } from '#case-files';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';

/** An official to write to, in the manner of an Urgent Action. */
export interface CampaignRecipient {
  title: string | null;
  name: string;
  address: string | null;
  email: string | null;
  salutation: string | null;
  /** BCP 47 tag of the language to write in (`kk`, `ru`, `en`). */
  preferredLanguage: string | null;
}

/** Someone to send a copy to (a diplomatic representative, typically). */
export interface CampaignCopy {
  title: string | null;
  name: string;
  address: string | null;
  email: string | null;
}

/** The letter supporters are asked to send. */
export interface ModelLetter {
  salutation: string;
  facts: string;
  requests: string[];
  closing: string | null;
}

/**
 * The call to action kept with one person: what campaigners write around the case file
 * (headline, action number, summary, model letter, officials to write to, deadline,
 * background). One live campaign per person; versioned and audited like every record.
 */
@Entity('person_campaigns')
@Check(oneOf('visibility', VISIBILITIES))
@Index('person_campaigns_one_live', ['personId'], { unique: true, where: 'archived_at IS NULL' })
export class CampaignEntity extends RecordEntity {
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity>;

  /** "Journalist held under house arrest awaiting trial". */
  @Column({ type: 'text', nullable: true })
  headline!: string | null;

  /** "UA 12/22". */
  @Column({ type: 'varchar', length: 60, nullable: true })
  actionNumber!: string | null;

  /** The number of the action this one follows up, if any. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  followUpOf!: string | null;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  modelLetter!: ModelLetter | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  recipients!: CampaignRecipient[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  copies!: CampaignCopy[];

  /** Last day to send appeals (a calendar date, no time). */
  @Column({ type: 'date', nullable: true })
  appealDeadline!: string | null;

  /** At most about 400 words. */
  @Column({ type: 'text', nullable: true })
  background!: string | null;

  /** BCP 47 tag of the language the texts above are written in. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;
}
