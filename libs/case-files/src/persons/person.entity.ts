import { DEFAULT_VISIBILITY, VISIBILITIES, type Visibility } from '#common';
import { PartialDateColumns, RecordEntity, oneOf } from '#database';
import { OrganizationEntity, SourceEntity } from '#reference-data';
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
} from 'typeorm';
import type { CustodyStatus } from '../custody/custody.js';

/** A person in the case files: a prisoner, a relative, a lawyer, a witness. */
@Entity('persons')
@Check(oneOf('visibility', VISIBILITIES))
export class PersonEntity extends RecordEntity {
  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  /** Copy of the preferred name, kept in the same transaction as `names`. */
  @Column({ type: 'text' })
  displayName!: string;

  @OneToMany(() => PersonNameEntity, (name) => name.person)
  names!: Relation<PersonNameEntity>[];

  @Index('persons_country', { where: 'archived_at IS NULL' })
  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column(() => PartialDateColumns, { prefix: 'birth' })
  birth!: PartialDateColumns;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  occupations!: string[];

  @OneToMany(() => DesignationEntity, (d) => d.person)
  designations!: Relation<DesignationEntity>[];

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'varchar', length: 12, default: DEFAULT_VISIBILITY })
  visibility!: Visibility;

  /**
   * How to reach the person or their family: restricted material, encrypted at rest
   * (`enc:v1:...`), shown only to admins and users granted access to this person.
   */
  @Column({ type: 'text', nullable: true })
  contactDetails!: string | null;

  /** The sources cited; their ids are read with `loadRelationIds` where they are shown. */
  @ManyToMany(() => SourceEntity)
  @JoinTable({ name: 'person_sources', joinColumn: { name: 'person_id' }, inverseJoinColumn: { name: 'source_id' } })
  sources!: SourceEntity[];

  /**
   * The current custody status (of the latest live custody event, in `deriveCurrentCustody`'s
   * order) as each kind of reader sees it: of all events (readers with clearance on the person),
   * of events that are not restricted (other readers, internal reports), of public events
   * (public reports). Derived data, recomputed in the transaction of every custody write by
   * `refreshCurrentStatus`; read through `currentStatusSql`. Null when there is no such event.
   * Each is indexed for the live persons, the index covering what the person filters and facets
   * read for that audience (`INCLUDE` id, country, visibility and the audience's defendant
   * stages: see the migration `DefendantStages`); TypeORM cannot declare `INCLUDE`, hence
   * `synchronize: false`.
   */
  @Index('persons_current_status_all', { synchronize: false })
  @Column({ type: 'varchar', length: 32, nullable: true })
  currentStatusAll!: CustodyStatus | null;

  @Index('persons_current_status_unrestricted', { synchronize: false })
  @Column({ type: 'varchar', length: 32, nullable: true })
  currentStatusUnrestricted!: CustodyStatus | null;

  @Index('persons_current_status_public', { synchronize: false })
  @Column({ type: 'varchar', length: 32, nullable: true })
  currentStatusPublic!: CustodyStatus | null;

  /**
   * The stages of the live cases in which the person is a defendant, as each kind of reader sees
   * them: of cases of any visibility, of cases that are not restricted, of public cases; a set of
   * bits, stage i of `CASE_STAGES` being `1 << i` (see `stageBits`). Derived data, recomputed in
   * the transaction of every case write by `refreshDefendantStages`; only counted
   * (`facetCounts`), so not loaded with the entity.
   */
  @Column({ type: 'integer', default: 0, select: false })
  defendantStageBitsAll!: number;

  @Column({ type: 'integer', default: 0, select: false })
  defendantStageBitsUnrestricted!: number;

  @Column({ type: 'integer', default: 0, select: false })
  defendantStageBitsPublic!: number;
}

/** One spelling of a person's name; exactly one per person is preferred. */
@Entity('person_names')
@Index('person_names_one_preferred', ['personId'], { unique: true, where: 'preferred' })
export class PersonNameEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, (person) => person.names, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity>;

  @Column({ type: 'text' })
  value!: string;

  /**
   * `nameKey(value)`: the name folded across scripts and transliterations, words sorted; written
   * with the name, searched through a GIN index on its words and a trigram GIN index (see
   * person-search.ts); its words are kept in `name_words` by a trigger.
   */
  @Index('person_names_search_key_trgm', { synchronize: false })
  @Index('person_names_search_words', { synchronize: false })
  @Column({ type: 'text' })
  searchKey!: string;

  /** ISO 15924 script code: `Latn`, `Cyrl`, `Arab`. */
  @Column({ type: 'varchar', length: 4, nullable: true })
  script!: string | null;

  /** BCP 47 language tag of the spelling: `en`, `kk`, `ru`, `nl`. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  lang!: string | null;

  @Column({ type: 'boolean', default: false })
  preferred!: boolean;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Order in which the names were given. */
  @Column({ type: 'integer' })
  position!: number;
}

/** A designation such as "prisoner of conscience", by whom and since when. */
@Entity('person_designations')
export class DesignationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, (person) => person.designations, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person!: Relation<PersonEntity>;

  @Column({ type: 'text' })
  designation!: string;

  @Column({ type: 'uuid', nullable: true })
  organizationId!: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization!: OrganizationEntity | null;

  @Column(() => PartialDateColumns, { prefix: 'since' })
  since!: PartialDateColumns;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'integer' })
  position!: number;
}
