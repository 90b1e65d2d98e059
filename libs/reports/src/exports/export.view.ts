import { ApiProperty } from '@nestjs/swagger';
import {
  AUDIENCES,
  type Audience,
  REPORT_FORMATS,
  REPORT_KINDS,
  type ReportFormat,
  type ReportKind,
} from '../reports.js';
import { EXPORT_STATUSES, type ExportEntity, type ExportStatus } from './export.entity.js';

export class ExportView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: REPORT_KINDS })
  kind!: ReportKind;

  @ApiProperty({ enum: REPORT_FORMATS })
  format!: ReportFormat;

  @ApiProperty({ example: 'en' })
  language!: string;

  @ApiProperty({ enum: AUDIENCES })
  audience!: Audience;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  personId!: string | null;

  @ApiProperty({ type: Object, nullable: true, description: 'The campaign list filter, as given.' })
  filter!: Record<string, unknown> | null;

  @ApiProperty({ enum: EXPORT_STATUSES })
  status!: ExportStatus;

  @ApiProperty({ minimum: 0, maximum: 100 })
  progress!: number;

  @ApiProperty({ type: String, nullable: true, example: 'zhanbolat-mamay-dossier-2026-11-21.pdf' })
  fileName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contentType!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Size of the file in bytes.' })
  byteSize!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Where to download the file once `done`.' })
  fileUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When the file is deleted.' })
  expiresAt!: string;
}

/**
 * An export as its requester sees it. A finished export whose retention has passed is `expired`
 * from that instant, without a file, even before the reconciler has deleted the file.
 */
export function exportView(e: ExportEntity, now = new Date()): ExportView {
  const status = isExpired(e, now) ? 'expired' : e.status;
  return {
    id: e.id,
    kind: e.kind,
    format: e.format,
    language: e.language,
    audience: e.audience,
    personId: e.personId,
    filter: e.filter,
    status,
    progress: e.progress,
    fileName: e.fileName,
    contentType: e.contentType,
    byteSize: e.byteSize === null ? null : Number(e.byteSize),
    fileUrl: status === 'done' ? `/api/v1/exports/${e.id}/file` : null,
    error: e.error,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    expiresAt: e.expiresAt.toISOString(),
  };
}

/** Expired: marked so by the reconciler, or finished and past `expiresAt` (not yet reconciled). */
export function isExpired(e: ExportEntity, now = new Date()): boolean {
  return e.status === 'expired' || (e.status === 'done' && e.expiresAt.getTime() <= now.getTime());
}
