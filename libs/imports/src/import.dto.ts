import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IMPORT_MODES, type ImportMode } from './import.entity.js';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** How to import: in the query string or as form fields next to `file` (the form field wins). */
export class ImportOptionsDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      "`true`: check every row and report what would be written (with each problem's row, column and message), writing nothing.",
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description:
      '`all-or-nothing`: one row with a problem and nothing is written. `skip-invalid`: rows with problems are reported and left out; the others are written.',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}
