import { RecordEntity, oneOf } from '#database';
import { Check, Column, Entity, Index } from 'typeorm';
import { LANGUAGES, type Language } from './alerts.js';

/**
 * Someone outside the organisation who follows cases: a lawyer, a relative, a diplomat, a
 * journalist. Messages reach them by email and, if they have one, a webhook.
 */
@Entity('advocates')
@Check(oneOf('language', LANGUAGES))
export class AdvocateEntity extends RecordEntity {
  @Column({ type: 'text' })
  name!: string;

  /** Stored lower-cased; unique among live advocates. */
  @Index({ unique: true, where: 'archived_at IS NULL' })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 8, default: 'en' })
  language!: Language;

  /** IANA zone the advocate reads times in. */
  @Column({ type: 'text' })
  timeZone!: string;

  @Column({ type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** HMAC key for webhook signatures, encrypted at rest (`enc:v1:...`). */
  @Column({ type: 'text', nullable: true })
  webhookSecret!: string | null;

  /** The person in the case files this advocate is (a relative, a lawyer), if any. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  /** SHA-256 of the secret calendar token; the token itself is kept encrypted to show it again. */
  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  calendarTokenHash!: string;

  @Column({ type: 'text' })
  calendarToken!: string;

  /** Created through the public follow form (not by staff): only public material reaches them. */
  @Column({ type: 'boolean', default: false })
  selfService!: boolean;
}
