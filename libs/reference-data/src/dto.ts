import {
  ChangeReasonDto,
  CountryField,
  NamesField,
  ExternalIdField,
  OptionalPartialDateField,
  OptionalTextField,
  type PartialDate,
  SourceIdsField,
  VisibilityField,
  type Visibility,
} from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsLocale, IsOptional, IsString, IsUrl, Length, MaxLength, ValidateIf } from 'class-validator';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization.entity.js';

const nullable = (_: object, value: unknown) => value !== null;

export class CreateSourceDto extends ChangeReasonDto {
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

  @VisibilityField()
  visibility?: Visibility;

  @OptionalTextField(5000, {
    description: 'How to reach the source. Encrypted at rest; admins only read and write it.',
    example: 'Signal: +7 700 000 0000',
  })
  contactDetails?: string | null;
}

export class UpdateSourceDto extends PartialType(CreateSourceDto, { skipNullProperties: false }) {}

export class CreateOrganizationDto extends ChangeReasonDto {
  @ExternalIdField()
  externalId?: string;

  @NamesField(['Amnesty International'])
  names!: string[];

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind!: OrganizationKind;

  @CountryField()
  country?: string | null;

  @OptionalTextField(10000)
  note?: string | null;
}
export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto, { skipNullProperties: false }) {}

export class CreateEventDto extends ChangeReasonDto {
  @ExternalIdField()
  externalId?: string;

  @NamesField(['January 2022 unrest', 'Qandy Qantar'])
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
export class UpdateEventDto extends PartialType(CreateEventDto, { skipNullProperties: false }) {}
