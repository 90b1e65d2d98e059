import { VISIBILITIES, type Visibility, type ActorKind } from '#common';
import { oneOf } from '#database';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AUDIT_ACTIONS, type AuditAction, type FieldChanges } from './audit.js';

/**
 * One change to one record, written in the transaction that made it. Rows are only ever
 * inserted: PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE (see the migration), and each
 * row's `hash` covers its content and the previous row's hash, so `npm run audit:verify` finds
 * any row changed or removed behind the application's back.
 */
@Entity('audit_log')
@Index('audit_log_entity', ['entityType', 'entityId', 'seq'])
@Check(oneOf('action', AUDIT_ACTIONS))
@Check(oneOf('visibility', VISIBILITIES))
export class AuditEntryEntity {
  /** Position in the hash chain. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  actorKind!: ActorKind;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  actorLabel!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ type: 'uuid' })
  entityId!: string;

  /** The most restrictive visibility the record had before or after the change. */
  @Column({ type: 'varchar', length: 12 })
  visibility!: Visibility;

  /** `{ field: { before, after } }`; encrypted fields hold their ciphertext. */
  @Column({ type: 'jsonb' })
  changes!: FieldChanges;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
