import { ChangeReasonDto, IsId, IsTimeZone, PageQueryDto } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  ANNOUNCEMENTS,
  type Announcement,
  CHANNELS,
  type Channel,
  DEFAULT_LEAD_TIMES,
  LANGUAGES,
  type Language,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
} from './alerts.js';

export const MAX_LEAD_TIMES = 10;

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateSubscriptionDto extends ChangeReasonDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  advocateId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Follow one case (give exactly one of caseId, personId, eventId).',
  })
  @IsOptional()
  @IsId()
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Follow every case of one person.' })
  @IsOptional()
  @IsId()
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Follow every case of one mass event.' })
  @IsOptional()
  @IsId()
  eventId?: string;

  @ApiPropertyOptional({
    type: [String],
    example: DEFAULT_LEAD_TIMES,
    default: DEFAULT_LEAD_TIMES,
    description:
      'ISO 8601 durations before each hearing at which to remind (days, hours, minutes, seconds; not months ' +
      `or years), each positive and at most a year, without repeats; at most ${MAX_LEAD_TIMES}.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEAD_TIMES)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  leadTimes?: string[];

  @ApiPropertyOptional({
    enum: CHANNELS,
    isArray: true,
    default: ['email'],
    description: '`webhook` needs the advocate to have a webhook URL.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels?: Channel[];

  @ApiPropertyOptional({
    enum: ANNOUNCEMENTS,
    isArray: true,
    default: ANNOUNCEMENTS,
    description: 'Which changes to announce besides the reminders (none: send `[]`).',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ANNOUNCEMENTS, { each: true })
  announce?: Announcement[];
}

export class ListSubscriptionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  advocateId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  eventId?: string;

  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: SubscriptionStatus;
}

/** The public follow form: no login; a confirmation link is emailed. */
export class FollowCaseDto {
  @ApiProperty({ example: 'me@example.org' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: 'Aigerim' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: 'IANA time zone (or `UTC`).' })
  @IsOptional()
  @ValidateIf((_: object, value: unknown) => value !== 'UTC')
  @IsTimeZone()
  timeZone?: string;
}
