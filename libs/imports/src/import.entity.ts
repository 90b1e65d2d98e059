import { type ChunkTable, oneOf } from '#database';
import { Check, Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';
import type { ImportReport } from './import-report.js';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * `all-or-nothing` (the default): one problem in any row and nothing is written.
 * `skip-invalid`: rows with problems are reported and left out, the others are written.
 */
export const IMPORT_MODES = ['all-or-nothing', 'skip-invalid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Who asked for an import: its records are written, and audited, under this actor. */
export interface ImportRequester {
  kind: 'user' | 'api-key' | 'system';
  id: string | null;
  label: string;
  role: 'viewer' | 'editor' | 'admin';
}

/**
 * One uploaded file to import. PostgreSQL holds the request, its progress, its report and,
 * until the import has finished, the file itself (in `import_chunks`), so that an API and a
 * worker on different machines both reach it; the BullMQ job carries the import id only.
 */
@Entity('imports')
@Check(oneOf('status', IMPORT_STATUSES))
@Check(oneOf('mode', IMPORT_MODES))
@Check(oneOf('format', IMPORT_FORMATS))
@Check('"progress" BETWEEN 0 AND 100')
@Index(['status', 'createdAt'])
export class ImportEntity {
  /** Chosen when the upload starts: the file's chunks are stored under it before this row exists. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status!: ImportStatus;

  @Column({ type: 'varchar', length: 16 })
  mode!: ImportMode;

  @Column({ type: 'boolean' })
  dryRun!: boolean;

  @Column({ type: 'text' })
  fileName!: string;

  @Column({ type: 'varchar', length: 8 })
  format!: ImportFormat;

  @Column({ type: 'bigint' })
  byteSize!: string;

  @Column({ type: 'jsonb' })
  requestedBy!: ImportRequester;

  /** Share of the file read, 0 to 100. */
  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  /** Data rows read so far (empty rows are not counted). */
  @Column({ type: 'integer', default: 0 })
  rowsRead!: number;

  /** Counts, duplicates and problems; written when the import finishes. */
  @Column({ type: 'jsonb', nullable: true })
  report!: ImportReport | null;

  /** Why it failed, in words safe to show (row numbers and column names, never cell values). */
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

  /** When the uploaded file was deleted (as the import finished); the report stays. */
  @Column({ type: 'timestamptz', nullable: true })
  fileDeletedAt!: Date | null;
}

/**
 * One piece of an uploaded file, in order. Chunks are stored while the upload streams in, before
 * the import row exists (so no foreign key); the reconciler deletes chunks left by an upload that
 * never became an import, and those of finished imports.
 */
@Entity('import_chunks')
export class ImportChunkEntity {
  @PrimaryColumn({ type: 'uuid' })
  importId!: string;

  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Where uploaded files are stored (`ChunkStore`). */
export const IMPORT_CHUNKS: ChunkTable = { table: 'import_chunks', ownerColumn: 'import_id' };
