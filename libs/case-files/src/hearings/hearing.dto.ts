import {
  IsId,
  ChangeReasonDto,
  IsCountryCode,
  IsTimeZone,
  OptionalIdField,
  OptionalTextField,
  PageQueryDto,
  VisibilityField,
  type Visibility,
  IsOmittable,
} from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  isISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  type ValidationArguments,
  ValidateBy,
} from 'class-validator';
import {
  HEARING_KINDS,
  HEARING_STATUSES,
  type HearingKind,
  type HearingStatus,
  START_FORMAT_PROBLEM,
} from './hearing.js';

export class CreateHearingDto extends ChangeReasonDto {
  @ApiProperty({
    example: '2024-03-15T10:00',
    description:
      'ISO 8601. With Z, +00:00 or the court’s own offset at that moment it is an exact instant (another offset is ' +
      'refused); without one it is wall-clock time at the court, in `timeZone` ' +
      '(a local time skipped or repeated by a clock change is refused: send the offset).',
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i, {
    message: `startsAt ${START_FORMAT_PROBLEM}`,
  })
  startsAt!: string;

  @ApiProperty({ example: 'Asia/Almaty', description: 'IANA time zone of the court' })
  @IsTimeZone()
  timeZone!: string;

  @OptionalTextField(500, { example: 'Almaty City Court' })
  court?: string | null;

  @OptionalTextField(200, { example: 'Courtroom 4' })
  courtroom?: string | null;

  @ApiPropertyOptional({ enum: HEARING_KINDS, default: 'other' })
  @IsOmittable()
  @IsIn(HEARING_KINDS)
  kind?: HearingKind;

  @ApiPropertyOptional({ enum: HEARING_STATUSES, default: 'scheduled' })
  @IsOmittable()
  @IsIn(HEARING_STATUSES)
  status?: HearingStatus;

  @OptionalTextField(10000, { description: 'What happened, once held.' })
  outcome?: string | null;

  @OptionalIdField('The hearing this one was postponed to (same case).')
  postponedToId?: string | null;

  @VisibilityField()
  visibility?: Visibility;
}

/**
 * Every field optional. Sending `startsAt` without `timeZone` reads it in the hearing's current zone;
 * a new `timeZone` needs `startsAt` with it.
 */
export class UpdateHearingDto extends PartialType(CreateHearingDto, { skipNullProperties: false }) {}

/**
 * An instant of a list's window: a date-time with `Z` or an offset. Without one, it would be read
 * in the server's own time zone, and a date alone as midnight UTC, not the court's day.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && INSTANT.test(value) && isISO8601(value, { strict: true }),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} must be a date-time with Z or an offset, such as 2024-03-15T00:00:00Z or 2024-03-15T00:00:00+05:00`,
    },
  });

export class ListHearingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: '2024-01-01T00:00:00Z',
    description: 'Hearings starting at or after this instant (with `Z` or an offset)',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2024-12-31T23:59:59Z',
    description: 'Hearings starting before this instant (with `Z` or an offset)',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  caseId?: string;

  @ApiPropertyOptional({ enum: HEARING_STATUSES })
  @IsOptional()
  @IsIn(HEARING_STATUSES)
  status?: HearingStatus;
}

/** Up to a year ahead, 366 days so that a leap year fits (as the persons' `hearingWithinDays`). */
export const MAX_UPCOMING_DAYS = 366;
export const DEFAULT_UPCOMING_DAYS = 14;

/** `GET /hearings/upcoming`: the planning window, optionally narrowed to one country or mass event. */
export class UpcomingHearingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_UPCOMING_DAYS,
    default: DEFAULT_UPCOMING_DAYS,
    description: 'Hearings starting from now until this many days (of 24 hours) from now.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_UPCOMING_DAYS)
  days?: number;

  @ApiPropertyOptional({ example: 'KZ', description: "The case's country." })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Hearings of cases linked to this mass event.' })
  @IsOptional()
  @IsId()
  eventId?: string;
}
