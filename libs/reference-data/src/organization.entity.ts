import { RecordEntity, oneOf } from '#database';
import { Check, Column, Entity, Index } from 'typeorm';

export const ORGANIZATION_KINDS = [
  'ngo',
  'political-party',
  'state-agency',
  'court',
  'media',
  'intergovernmental',
  'diplomatic-mission',
  'other',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** An organisation: an NGO, a party, a state agency, a court, a newspaper. `names[0]` is its main name. */
@Entity('organizations')
@Check(oneOf('kind', ORGANIZATION_KINDS))
export class OrganizationEntity extends RecordEntity {
  @Index({ unique: true, where: 'external_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Column({ type: 'text', array: true })
  names!: string[];

  @Column({ type: 'varchar', length: 32 })
  kind!: OrganizationKind;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
