import { PersonFilterDto } from '#case-files';
import { IsId } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { SUPPORTED_LANGUAGES } from '../labels.js';
import {
  AUDIENCES,
  type Audience,
  REPORT_FORMATS,
  REPORT_KINDS,
  type ReportFormat,
  type ReportKind,
} from '../reports.js';

const languageMessage = () => `language must be one of: ${SUPPORTED_LANGUAGES.join(', ')}`;

export class CreateExportDto {
  @ApiProperty({ enum: REPORT_KINDS, description: '`dossier`: one person; `campaign`: a list chosen by `filter`.' })
  @IsIn(REPORT_KINDS)
  kind!: ReportKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person (dossiers only).' })
  @IsOptional()
  @IsId()
  personId?: string;

  @ApiPropertyOptional({
    type: PersonFilterDto,
    description: 'Which persons (campaign lists only): the filters of `GET /persons`.',
  })
  @IsOptional()
  // An array (even `[]`) or a scalar is not a filter: without this, `[]` passed as "no filter".
  @IsObject({ message: 'filter must be an object of the filters of GET /persons, such as {"country": "KZ"}' })
  @ValidateNested()
  @Type(() => PersonFilterDto)
  filter?: PersonFilterDto;

  @ApiProperty({ enum: REPORT_FORMATS })
  @IsIn(REPORT_FORMATS)
  format!: ReportFormat;

  @ApiPropertyOptional({ default: 'en', description: 'Language of labels and dates (`en`, `ru`, ...).' })
  @IsOptional()
  @IsIn(SUPPORTED_LANGUAGES, { message: languageMessage })
  language?: string;

  @ApiPropertyOptional({
    enum: AUDIENCES,
    default: 'public',
    description: '`public`: public material only. `internal` (editors and admins): internal material too, marked.',
  })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: Audience;
}

/** Query of the synchronous dossier routes (`GET /persons/:id/dossier.pdf`). */
export class DossierQueryDto {
  @ApiPropertyOptional({ default: 'en' })
  @IsOptional()
  @IsIn(SUPPORTED_LANGUAGES, { message: languageMessage })
  language?: string;

  @ApiPropertyOptional({ enum: AUDIENCES, default: 'public' })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: Audience;
}
