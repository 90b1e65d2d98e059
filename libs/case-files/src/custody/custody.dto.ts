import {
  ChangeReasonDto,
  ExternalIdField,
  IsPartialDate,
  type PartialDate,
  PartialDateDto,
  SourceIdsField,
  VisibilityField,
  type Visibility,
} from '#common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CUSTODY_STATUSES, type CustodyStatus } from './custody.js';

export class CreateCustodyEventDto extends ChangeReasonDto {
  @ExternalIdField()
  externalId?: string;

  @ApiProperty({ enum: CUSTODY_STATUSES, example: 'house-arrest' })
  @IsIn(CUSTODY_STATUSES)
  status!: CustodyStatus;

  @ApiProperty({ type: PartialDateDto, example: { date: '2022-11', precision: 'approximate' } })
  @IsPartialDate()
  from!: PartialDate;

  @ApiPropertyOptional({ example: 'Almaty' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  place?: string;

  @ApiPropertyOptional({ example: 'Pretrial detention centre No. 1' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  facility?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  note?: string;

  @VisibilityField()
  visibility?: Visibility;

  @SourceIdsField()
  sourceIds?: string[];
}

/**
 * A correction of a custody event entered wrongly (a wrong date, a misread status). History
 * is not rewritten silently: a correction needs a `reason` (or `X-Change-Reason`), and the audit
 * trail keeps the value before and after.
 */
export class CorrectCustodyEventDto extends PartialType(OmitType(CreateCustodyEventDto, ['reason'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({
    description: 'Why the event is corrected; required here or in `X-Change-Reason`.',
    example: 'The court record gives 14 March, not 12 March',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
