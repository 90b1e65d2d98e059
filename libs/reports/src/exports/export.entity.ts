import { type ChunkTable, oneOf } from '#database';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import {
  AUDIENCES,
  type Audience,
  REPORT_FORMATS,
  REPORT_KINDS,
  type ReportFormat,
  type ReportKind,
} from '../reports.js';

export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** Who asked for an export: enough to show it back to them and to write the audit entry. */
export interface ExportRequester {
  kind: 'user' | 'api-key' | 'system';
  id: string | null;
  label: string;
}

/** The campaign list filter, as accepted by `GET /persons` (stored as given). */
export type ExportFilter = Record<string, unknown>;

/**
 * One export asked for through the API. PostgreSQL holds the request, its progress and the
 * file (in `export_chunks`), so that an API and a worker on different machines both reach it;
 * the BullMQ job carries the export id only.
 */
@Entity('exports')
@Check(oneOf('status', EXPORT_STATUSES))
@Check(oneOf('kind', REPORT_KINDS))
@Check(oneOf('format', REPORT_FORMATS))
@Check(oneOf('audience', AUDIENCES))
@Check('"progress" BETWEEN 0 AND 100')
@Index(['status', 'expiresAt'])
export class ExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: ReportKind;

  @Column({ type: 'varchar', length: 8 })
  format!: ReportFormat;

  @Column({ type: 'varchar', length: 35 })
  language!: string;

  @Column({ type: 'varchar', length: 12 })
  audience!: Audience;

  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  filter!: ExportFilter | null;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status!: ExportStatus;

  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  @Column({ type: 'jsonb' })
  requestedBy!: ExportRequester;

  @Column({ type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ type: 'text', nullable: true })
  contentType!: string | null;

  @Column({ type: 'bigint', nullable: true })
  byteSize!: string | null;

  /** Why it failed, in words safe to show (never record contents). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** When the file is deleted; the request row stays (status `expired`). */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}

/** Where export files are stored (`ChunkStore`). */
export const EXPORT_CHUNKS: ChunkTable = { table: 'export_chunks', ownerColumn: 'export_id' };

/** One piece of an export's file, in order: files are written and read as streams. */
@Entity('export_chunks')
export class ExportChunkEntity {
  @PrimaryColumn({ type: 'uuid' })
  exportId!: string;

  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @ManyToOne(() => ExportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'export_id' })
  export!: Relation<ExportEntity>;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
