import { ApiProperty } from '@nestjs/swagger';
import {
  IMPORT_FORMATS,
  IMPORT_MODES,
  IMPORT_STATUSES,
  type ImportEntity,
  type ImportFormat,
  type ImportMode,
  type ImportStatus,
} from './import.entity.js';
import type { DuplicateReport, ImportReport, RecordCounts, RowProblem } from './import-report.js';

export class RowProblemView implements RowProblem {
  @ApiProperty({ example: 7, description: 'Row number as a spreadsheet shows it: the header is row 1.' })
  row!: number;

  @ApiProperty({ example: 'custody_since', description: 'The column (`#3` for a column without a name).' })
  column!: string;

  @ApiProperty({ example: 'must be a date written 2022, 2022-03 or 2022-03-15 (~ in front for "around")' })
  message!: string;
}

export class DuplicateView implements DuplicateReport {
  @ApiProperty({ example: 12 })
  row!: number;

  @ApiProperty({ example: 'Janbolat Mamai', description: "The row's name." })
  name!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The person the row probably is: put it in `person_id` to update that person.',
  })
  personId!: string | null;

  @ApiProperty({ example: 'Zhanbolat Mamay', description: "That person's display name (or the earlier row's name)." })
  matchedName!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The earlier row of the same file that creates the same person, when that is the match.',
  })
  duplicateOfRow!: number | null;

  @ApiProperty({ example: 1.0, description: 'Similarity of the names (1: the same folded spelling).' })
  score!: number;
}

export class RecordCountsView implements RecordCounts {
  @ApiProperty()
  persons!: number;

  @ApiProperty()
  custodyEvents!: number;

  @ApiProperty()
  cases!: number;

  @ApiProperty()
  hearings!: number;
}

export class UpdatedCountsView {
  @ApiProperty()
  persons!: number;

  @ApiProperty()
  cases!: number;
}

export class ImportReportView implements ImportReport {
  @ApiProperty({ description: 'Data rows read (empty rows are skipped).' })
  rows!: number;

  @ApiProperty({ description: 'Rows written (or, in a dry run, that would be), including rows that changed nothing.' })
  imported!: number;

  @ApiProperty({ description: 'Rows that matched what is stored already: nothing written, nothing audited.' })
  unchanged!: number;

  @ApiProperty({ type: RecordCountsView })
  created!: RecordCountsView;

  @ApiProperty({ type: UpdatedCountsView })
  updated!: UpdatedCountsView;

  @ApiProperty({
    type: [DuplicateView],
    description:
      'Probable duplicates (at most 1000): rows not written until confirmed with `person_id` (the same person) or `new_person` = yes.',
  })
  duplicates!: DuplicateView[];

  @ApiProperty()
  duplicateCount!: number;

  @ApiProperty({
    type: [RowProblemView],
    description: 'Problems, in row order (at most 1000; `errorCount` has them all).',
  })
  errors!: RowProblemView[];

  @ApiProperty()
  errorCount!: number;

  @ApiProperty({ description: 'Rows with at least one problem.' })
  invalidRows!: number;
}

export class ImportView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: IMPORT_STATUSES })
  status!: ImportStatus;

  @ApiProperty({ enum: IMPORT_MODES })
  mode!: ImportMode;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ example: 'prisoners-2024.csv' })
  fileName!: string;

  @ApiProperty({ enum: IMPORT_FORMATS })
  format!: ImportFormat;

  @ApiProperty({ description: 'Size of the uploaded file in bytes.' })
  byteSize!: number;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Share of the file read.' })
  progress!: number;

  @ApiProperty({ description: 'Data rows read so far.' })
  rowsRead!: number;

  @ApiProperty({ type: ImportReportView, nullable: true, description: 'Once `done` or `failed`.' })
  report!: ImportReportView | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

export function importView(e: ImportEntity): ImportView {
  return {
    id: e.id,
    status: e.status,
    mode: e.mode,
    dryRun: e.dryRun,
    fileName: e.fileName,
    format: e.format,
    byteSize: Number(e.byteSize),
    progress: e.progress,
    rowsRead: e.rowsRead,
    report: e.report,
    error: e.error,
    createdAt: e.createdAt.toISOString(),
    startedAt: e.startedAt?.toISOString() ?? null,
    finishedAt: e.finishedAt?.toISOString() ?? null,
  };
}
