import { ExternalIdField, IsPartialDate, type PartialDate, PartialDateDto, SourceIdsField } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CUSTODY_STATUSES, type CustodyStatus } from './custody.js';

export class CreateCustodyEventDto {
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

  @SourceIdsField()
  sourceIds?: string[];
}
