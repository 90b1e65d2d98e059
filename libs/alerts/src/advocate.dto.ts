import { ChangeReasonDto, IsId, IsOmittable, IsTimeZone, OptionalIdField, PageQueryDto } from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
  type ValidationArguments,
  ValidateIf,
} from 'class-validator';
import { LANGUAGES, type Language } from './alerts.js';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const notNull = (_: object, value: unknown) => value !== null;

/** Why a webhook URL is refused, or null when it is acceptable. */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a URL';
  if (value.length > 2000) return 'must be at most 2000 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (!url.hostname) return 'must name a host';
  return null;
}

/** An absolute http(s) URL without credentials (a webhook's address). */
function IsWebhookUrl(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWebhookUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => webhookUrlProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${webhookUrlProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}

/** An IANA zone (`Asia/Almaty`), or `UTC`. */
const AdvocateTimeZone = (): PropertyDecorator => (target, propertyName) => {
  ValidateIf((_: object, value: unknown) => value !== 'UTC')(target, propertyName);
  IsTimeZone()(target, propertyName);
};

export class CreateAdvocateDto extends ChangeReasonDto {
  @ApiProperty({ example: 'Aigerim Tleuzhan' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'lawyer@example.org', description: 'Stored lower-cased; unique among live advocates.' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en', description: 'Language of the messages.' })
  @IsOmittable()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the advocate reads times in (or `UTC`).' })
  @AdvocateTimeZone()
  timeZone!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://hooks.example.org/case-tracker',
    description:
      'Where webhook messages are POSTed (http or https, no credentials). They are signed with the secret ' +
      'shown when the advocate is created (and when it is rotated).',
  })
  @IsOptional()
  @ValidateIf(notNull)
  @IsWebhookUrl()
  webhookUrl?: string | null;

  @OptionalIdField('The person in the case files this advocate is (a relative, a lawyer).')
  personId?: string | null;
}

/** Every field optional. */
export class UpdateAdvocateDto extends PartialType(CreateAdvocateDto, { skipNullProperties: false }) {}

export class ListAdvocatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'lawyer@example.org' })
  @IsOptional()
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  personId?: string;
}
