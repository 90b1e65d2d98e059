import {
  IsId,
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
  IsOmittable,
  IsNotFuturePartialDate,
} from '#common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsLocale,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CASE_STAGES, type CaseStage } from '../cases/case.js';
import { CUSTODY_STATUSES, type CustodyStatus } from '../custody/custody.js';
import type { PersonFilter } from './person-filter.js';

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

  @OptionalPartialDateField('Not after today.')
  @IsNotFuturePartialDate()
  birthDate?: PartialDate | null;

  @ApiPropertyOptional({ example: ['journalist'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  occupations?: string[];

  @ApiPropertyOptional({ type: [DesignationDto] })
  @IsOmittable()
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
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {}

/** Up to a year ahead, 366 days so that a leap year fits. */
const MAX_HEARING_WINDOW_DAYS = 366;

/** Repeated in each case criterion's description: combining them asks for one case that meets them all. */
const SAME_CASE = 'The case criteria (eventId, stage, article, hearingWithinDays) must all be met by the same case.';

/**
 * A multi-valued filter arrives comma-separated or repeated in a query string
 * (`status=a,b`, `status=a&status=b`) and as an array in a JSON body: each becomes one list.
 */
function toList({ value }: { value: unknown }): unknown {
  if (value === undefined || value === null) return value;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => (typeof v === 'string' ? v.split(',').map((part) => part.trim()) : [v]));
}

/** An optional, non-empty list of values out of `values`. */
const ValueListField = (values: readonly string[], description: string, example: string[]) =>
  applyDecorators(
    ApiPropertyOptional({
      enum: values,
      isArray: true,
      example,
      description: `${description} Several values (comma-separated, repeated, or a JSON array) match any of them.`,
    }),
    IsOptional(),
    Transform(toList),
    IsArray(),
    ArrayNotEmpty(),
    IsIn(values, { each: true }),
  );

/**
 * The criteria that choose persons, in `GET /persons` and wherever else persons are chosen the
 * same way (campaign lists send them as a JSON object). See `PersonFilter` for what each means.
 */
export class PersonFilterDto implements PersonFilter {
  @ApiPropertyOptional({ example: 'KZ' })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ enum: VISIBILITIES })
  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @ValueListField(CUSTODY_STATUSES, 'Current custody status (the latest custody event you may see).', [
    'pretrial-detention',
    'house-arrest',
  ])
  status?: CustodyStatus[];

  @ApiPropertyOptional({ format: 'uuid', description: `Defendants in a case linked to this mass event. ${SAME_CASE}` })
  @IsOptional()
  @IsId()
  eventId?: string;

  @ValueListField(CASE_STAGES, `Defendants in a case at this stage. ${SAME_CASE}`, ['trial'])
  stage?: CaseStage[];

  @ApiPropertyOptional({
    type: [String],
    example: ['272-2'],
    description:
      'Defendants in a case with a charge under this article of the criminal code, written exactly as in the charge. ' +
      `Several articles (comma-separated, repeated, or a JSON array) match any of them. ${SAME_CASE}`,
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  article?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_HEARING_WINDOW_DAYS,
    example: 7,
    description: `Defendants with a scheduled hearing in their case starting within this many days from now. ${SAME_CASE}`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HEARING_WINDOW_DAYS)
  hearingWithinDays?: number;
}

/** Longest `q` accepted by `GET /persons`. */
const MAX_SEARCH_LENGTH = 500;

/** `GET /persons`: the person filter, one page at a time. */
export class ListPersonsQueryDto extends IntersectionType(PersonFilterDto, PageQueryDto) {
  @ApiPropertyOptional({
    maxLength: MAX_SEARCH_LENGTH,
    example: 'Dzjanboelat Mamai',
    description:
      'Search by name, in any spelling of any of the names: Kazakh or Russian Cyrillic, English, Dutch, German, ' +
      'French transliteration, Kazakh Latin, with or without diacritics, in any word order, with a typo or two. ' +
      'Every word must match a word of one name (a surname alone is enough); when no one matches so, names with ' +
      'more typos or a missing or extra word are found instead. Best match first (the exact spelling first), ' +
      'then by creation; the other criteria still apply. One- and two-letter queries match names with a word ' +
      'starting with them, in list order. Only letters and digits count (`%` and `_` are not wildcards); the ' +
      'folded query is cut to 200 characters. Blank: no search.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SEARCH_LENGTH)
  q?: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'Adds `facets`: how many persons matching the filter (all pages) have each current custody status, ' +
      'country and case stage, as you may see them.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  facets?: boolean;
}
