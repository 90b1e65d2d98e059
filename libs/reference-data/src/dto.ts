import {
  CountryField,
  ExternalIdField,
  OptionalPartialDateField,
  OptionalTextField,
  type PartialDate,
  SourceIdsField,
} from '#common';
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
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization.entity.js';

const nullable = (_: object, value: unknown) => value !== null;

export class CreateSourceDto {
  @ExternalIdField()
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

  @OptionalPartialDateField()
  published?: PartialDate | null;

  @ApiPropertyOptional({ example: 'nl', description: 'BCP 47 language tag' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsLocale()
  @MaxLength(35)
  language?: string | null;

  @OptionalTextField(10000)
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

  @CountryField()
  country?: string | null;

  @OptionalTextField(10000)
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

  @CountryField()
  country?: string | null;

  @OptionalPartialDateField()
  start?: PartialDate | null;

  @OptionalPartialDateField()
  end?: PartialDate | null;

  @OptionalTextField(20000)
  summary?: string | null;

  @SourceIdsField()
  sourceIds?: string[];
}
export class UpdateEventDto extends PartialType(CreateEventDto) {}
