import { ChangeReasonDto, isPartialDate, OptionalTextField, VisibilityField, type Visibility } from '#common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsLocale,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
  type ValidationArguments,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** A campaign's background is about 400 words; more than 450 are refused. */
const BACKGROUND_WORDS = { aim: 400, max: 450 };
const MAX_LIST = 20;

const notNull = (_: object, value: unknown) => value !== null;

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Words as a reader counts them, in any script (punctuation and spaces are not words). */
function countWords(text: string): number {
  let count = 0;
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) count++;
  return count;
}

/** A text of at most `max` words (`aim` is what the message asks for). Non-strings are left to `@IsString`. */
function MaxWords({ aim, max }: { aim: number; max: number }): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxWords',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || countWords(value) <= max,
        defaultMessage: (args?: ValidationArguments) => {
          const count = countWords(String(args?.value));
          return `${args?.property ?? 'value'} has ${count} words; keep it to about ${aim} (${max} at most)`;
        },
      },
    });
}

/** A calendar date written `YYYY-MM-DD`. */
function IsCalendarDate(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isPartialDate({ date: value, precision: 'day' }),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be a real date written YYYY-MM-DD`,
      },
    });
}

/** Optional, nullable BCP 47 language tag. */
const LanguageField = (description: string, example: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, example, description, maxLength: 35 }),
    IsOptional(),
    ValidateIf(notNull),
    IsLocale({ message: '$property must be a BCP 47 language tag such as kk, ru or en' }),
    MaxLength(35),
  );

/** Optional, nullable email address. */
const EmailField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, format: 'email', maxLength: 254 }),
    IsOptional(),
    ValidateIf(notNull),
    IsEmail({}, { message: 'email must be an email address' }),
    MaxLength(254),
  );

/** Optional list (at most 20) of objects of `type`, each validated. */
const ListField = (type: new () => object, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [type], maxItems: MAX_LIST, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_LIST),
    ValidateNested({ each: true }),
    Type(() => type),
  );

export class ModelLetterDto {
  @ApiProperty({ example: 'Dear Prosecutor General,' })
  @IsString()
  @Length(1, 200)
  salutation!: string;

  @ApiProperty({ description: 'The facts of the case as the letter states them.' })
  @IsString()
  @Length(1, 5000)
  facts!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_LIST,
    example: ['Release Zhanbolat Mamay immediately and unconditionally.'],
    description: 'What the letter asks for, one request each.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  requests?: string[];

  @OptionalTextField(1000, { example: 'Yours sincerely,' })
  closing?: string | null;
}

export class CampaignCopyDto {
  @OptionalTextField(200, { example: 'Ambassador' })
  title?: string | null;

  @ApiProperty({ example: 'Embassy of the Republic of Kazakhstan' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @OptionalTextField(1000)
  address?: string | null;

  @EmailField()
  email?: string | null;
}

export class CampaignRecipientDto extends CampaignCopyDto {
  @OptionalTextField(200, { example: 'Dear Prosecutor General,' })
  salutation?: string | null;

  @LanguageField('BCP 47 tag of the language to write in.', 'kk')
  preferredLanguage?: string | null;
}

/** The whole campaign: PUT stores exactly this, so fields left out are cleared. */
export class CampaignDto extends ChangeReasonDto {
  @OptionalTextField(200, { example: 'Journalist held under house arrest awaiting trial' })
  headline?: string | null;

  @OptionalTextField(60, { example: 'UA 12/22' })
  actionNumber?: string | null;

  @OptionalTextField(60, { description: 'The number of the action this one follows up.' })
  followUpOf?: string | null;

  @OptionalTextField(2000)
  summary?: string | null;

  @ApiPropertyOptional({
    type: ModelLetterDto,
    nullable: true,
    description: 'The letter supporters are asked to send.',
  })
  @IsOptional()
  @ValidateIf(notNull)
  @ValidateNested()
  @Type(() => ModelLetterDto)
  modelLetter?: ModelLetterDto | null;

  @ListField(CampaignRecipientDto, 'Officials to write to.')
  recipients?: CampaignRecipientDto[];

  @ListField(CampaignCopyDto, 'Whom to send a copy to (a diplomatic representative, typically).')
  copies?: CampaignCopyDto[];

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    example: '2023-05-31',
    description: 'Last day to send appeals.',
  })
  @IsOptional()
  @ValidateIf(notNull)
  @IsCalendarDate()
  appealDeadline?: string | null;

  @OptionalTextField(6000, {
    description: `About ${BACKGROUND_WORDS.aim} words; more than ${BACKGROUND_WORDS.max} are refused.`,
  })
  @MaxWords(BACKGROUND_WORDS)
  background?: string | null;

  @LanguageField('BCP 47 tag of the language the texts are written in.', 'en')
  language?: string | null;

  @VisibilityField()
  @ApiPropertyOptional({
    description:
      'Left out, a new campaign is `internal` and a replaced one keeps its visibility. ' +
      '`restricted`: admins and users granted access to the person.',
  })
  visibility?: Visibility;
}
