import { ROLES, type Role } from '#common';
import { oneOf } from '#database';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';

/** A member of staff who signs in. Users are deactivated, never deleted (the audit trail names them). */
@Entity('users')
@Check(oneOf('role', ROLES))
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  /** Stored lower-cased. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** argon2id, in PHC string format. */
  @Column({ type: 'text' })
  passwordHash!: string;

  /** When the password was last set (shown in the audit trail instead of the hash). */
  @Column({ type: 'timestamptz' })
  passwordSetAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;
}

/** A signed-in session. Only the SHA-256 of the token is stored. */
@Entity('access_tokens')
export class AccessTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user!: Relation<UserEntity>;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

export const API_KEY_SCOPES = ['read-only', 'read-write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A key for an integration: reads (and with `read-write`, writes) case files; never administers. */
@Entity('api_keys')
@Check(oneOf('scope', API_KEY_SCOPES))
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  scope!: ApiKeyScope;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  /** The first characters of the key, so people can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy!: Relation<UserEntity> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

/**
 * Lets a non-admin user see the restricted material of one person or one case. Persons and
 * cases are archived, never deleted, so the target ids stay meaningful.
 */
@Entity('access_grants')
@Check(`num_nonnulls("person_id", "case_id") = 1`)
@Index('access_grants_user_person', ['userId', 'personId'], { unique: true, where: 'person_id IS NOT NULL' })
@Index('access_grants_user_case', ['userId', 'caseId'], { unique: true, where: 'case_id IS NOT NULL' })
export class AccessGrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user!: Relation<UserEntity>;

  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  grantedById!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export const ACCESS_ENTITIES = [UserEntity, AccessTokenEntity, ApiKeyEntity, AccessGrantEntity];
