import {
  ChangeReasonDto,
  CountryField,
  ExternalIdField,
  IsCountryCode,
  OptionalIdField,
  OptionalPartialDateField,
  OptionalTextField,
  PageQueryDto,
  type PartialDate,
  SourceIdsField,
  VisibilityField,
  VISIBILITIES,
  type Visibility,
} from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsLocale,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const nullable = (_: object, value: unknown) => value !== null;

export class PersonNameDto {
  @ApiProperty({ example: 'Zhanbolat Mamay' })
  @IsString()
  @Length(1, 500)
  value!: string;

  @ApiPropertyOptional({ example: 'Latn', description: 'ISO 15924 script code (Latn, Cyrl, Arab, ...)' })
  @IsOptional()
  @ValidateIf(nullable)
  @Matches(/^[A-Z][a-z]{3}$/, { message: 'script must be an ISO 15924 code such as Latn or Cyrl' })
  script?: string | null;

  @ApiPropertyOptional({ example: 'kk', description: 'BCP 47 language tag of this spelling' })
  @IsOptional()
  @ValidateIf(nullable)
  @IsLocale()
  @MaxLength(35)
  lang?: string | null;

  @ApiPropertyOptional({ description: 'Exactly one name is preferred; it becomes `displayName`.' })
  @IsOptional()
  @IsBoolean()
  preferred?: boolean;

  @OptionalTextField(2000, { example: 'second spelling in the same report' })
  note?: string | null;
}

export class DesignationDto {
  @ApiProperty({ example: 'prisoner of conscience' })
  @IsString()
  @Length(1, 300)
  designation!: string;

  @OptionalIdField('The organisation that made the designation.')
  organizationId?: string | null;

  @OptionalPartialDateField('Since when (or when it was first reported).')
  since?: PartialDate | null;

  @OptionalTextField(2000)
  note?: string | null;
}

export class CreatePersonDto extends ChangeReasonDto {
  @ExternalIdField()
  externalId?: string;

  @ApiProperty({
    type: [PersonNameDto],
    description: 'Every known spelling; exactly one preferred (a single name is preferred by default).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PersonNameDto)
  names!: PersonNameDto[];

  @CountryField()
  country?: string | null;

  @OptionalPartialDateField()
  birthDate?: PartialDate | null;

  @ApiPropertyOptional({ example: ['journalist'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  occupations?: string[];

  @ApiPropertyOptional({ type: [DesignationDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DesignationDto)
  designations?: DesignationDto[];

  @OptionalTextField(50000)
  notes?: string | null;

  @VisibilityField()
  visibility?: Visibility;

  @OptionalTextField(5000, {
    description:
      'How to reach the person or their family. Restricted: encrypted at rest, read and written only by admins and users granted access to this person.',
    example: 'Wife: +7 700 000 0000 (via lawyer only)',
  })
  contactDetails?: string | null;

  @SourceIdsField()
  sourceIds?: string[];
}

/** Every field optional; `names`, `designations`, `occupations` and `sourceIds` replace the whole list. */
export class UpdatePersonDto extends PartialType(CreatePersonDto) {}

export class ListPersonsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'KZ' })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ enum: VISIBILITIES })
  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;
}
