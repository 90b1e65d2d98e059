import { IsCountryCode, IsPartialDate, PartialDateDto, type PartialDate } from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsLocale,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization.entity.js';

const nullable = (_: object, value: unknown) => value !== null;

export class CreateSourceDto {
  @ApiPropertyOptional({ description: 'Your own stable identifier (for imports and the demo seed).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;

  @ApiProperty({ example: 'NRC' })
  @IsString()
  @Length(1, 300)
  publisher!: string;

  @ApiProperty({ example: 'Kazakhstan votes in early parliamentary elections' })
  @IsString()
  @Length(1, 1000)
  title!: string;

  @ApiPropertyOptional({ example: 'https://www.nrc.nl/...' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  url?: string | null;

  @ApiPropertyOptional({ type: PartialDateDto })
  @IsOptional()
  @ValidateIf(nullable)
  @IsPartialDate()
  published?: PartialDate | null;

  @ApiPropertyOptional({ example: 'nl', description: 'BCP 47 language tag' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsLocale()
  @MaxLength(35)
  language?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @MaxLength(10000)
  note?: string | null;
}
export class UpdateSourceDto extends PartialType(CreateSourceDto) {}

export class CreateOrganizationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;

  @ApiProperty({ example: ['Amnesty International'], description: 'The first name is the main one.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  names!: string[];

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind!: OrganizationKind;

  @ApiPropertyOptional({ example: 'KZ', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsCountryCode()
  country?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @MaxLength(10000)
  note?: string | null;
}
export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto) {}

export class CreateEventDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;

  @ApiProperty({ example: ['January 2022 unrest', 'Qandy Qantar'], description: 'The first name is the main one.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  names!: string[];

  @ApiPropertyOptional({ example: 'KZ' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsCountryCode()
  country?: string | null;

  @ApiPropertyOptional({ type: PartialDateDto })
  @IsOptional()
  @ValidateIf(nullable)
  @IsPartialDate()
  start?: PartialDate | null;

  @ApiPropertyOptional({ type: PartialDateDto })
  @IsOptional()
  @ValidateIf(nullable)
  @IsPartialDate()
  end?: PartialDate | null;

  @ApiPropertyOptional()
  @IsOptional()
  @ValidateIf(nullable)
  @IsString()
  @MaxLength(20000)
  summary?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds?: string[];
}
export class UpdateEventDto extends PartialType(CreateEventDto) {}
