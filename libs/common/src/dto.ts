import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DATE_PRECISIONS, type DatePrecision } from './partial-date.js';

/** OpenAPI shape of a partial date; validation is done by `@IsPartialDate()` on the owning field. */
export class PartialDateDto {
  @ApiProperty({ example: '2022-03', description: 'YYYY, YYYY-MM or YYYY-MM-DD' })
  date!: string;

  @ApiProperty({ enum: DATE_PRECISIONS, example: 'month' })
  precision!: DatePrecision;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`." })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
