import { IsPartialDate, PartialDateDto, type PartialDate } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { CUSTODY_STATUSES, type CustodyStatus } from './custody.js';

export class CreateCustodyEventDto {
  @ApiPropertyOptional({ description: 'Your own stable identifier (imports, the demo seed).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
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

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds?: string[];
}
