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
  type Visibility,
  IsOmittable,
} from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CASE_STAGES,
  type CaseStage,
  PARTICIPANT_ROLES,
  type ParticipantRole,
  VERDICTS,
  type Verdict,
} from './case.js';

const nullable = (_: object, value: unknown) => value !== null;

export class TermDto {
  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(200)
  years?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2400)
  months?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  days?: number;
}

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  personId!: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES })
  @IsIn(PARTICIPANT_ROLES)
  role!: ParticipantRole;

  @OptionalTextField(2000)
  note?: string | null;
}

export class ChargeDto {
  @OptionalTextField(500, { example: 'Art. 272 Criminal Code of the Republic of Kazakhstan' })
  article?: string | null;

  @ApiProperty({ example: 'organizing the anti-government riots of January 2022' })
  @IsString()
  @Length(1, 5000)
  description!: string;

  @ApiPropertyOptional({ type: TermDto, example: { years: 10 } })
  @IsOptional()
  @ValidateIf(nullable)
  @ValidateNested()
  @Type(() => TermDto)
  maxSentence?: TermDto | null;
}

export class CaseOutcomeDto {
  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS)
  verdict!: Verdict;

  @OptionalPartialDateField()
  date?: PartialDate | null;

  @ApiPropertyOptional({ type: TermDto })
  @IsOptional()
  @ValidateIf(nullable)
  @ValidateNested()
  @Type(() => TermDto)
  sentence?: TermDto | null;

  @OptionalTextField(10000)
  note?: string | null;
}

export class CreateCaseDto extends ChangeReasonDto {
  @ExternalIdField()
  externalId?: string;

  @ApiProperty({ example: 'Prosecution of Zhanbolat Mamay' })
  @IsString()
  @Length(1, 1000)
  title!: string;

  @CountryField()
  country?: string | null;

  @OptionalTextField(500, { example: 'Almaty City Court' })
  court?: string | null;

  @OptionalTextField(500, { example: 'Almaty' })
  jurisdiction?: string | null;

  @ApiProperty({ enum: CASE_STAGES })
  @IsIn(CASE_STAGES)
  stage!: CaseStage;

  @OptionalIdField('The mass event the case stems from.')
  eventId?: string | null;

  @ApiPropertyOptional({ type: [ParticipantDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants?: ParticipantDto[];

  @ApiPropertyOptional({ type: [ChargeDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChargeDto)
  charges?: ChargeDto[];

  @ApiPropertyOptional({ type: CaseOutcomeDto, nullable: true })
  @IsOptional()
  @ValidateIf(nullable)
  @ValidateNested()
  @Type(() => CaseOutcomeDto)
  outcome?: CaseOutcomeDto | null;

  @OptionalTextField(50000)
  notes?: string | null;

  @VisibilityField()
  visibility?: Visibility;

  @SourceIdsField()
  sourceIds?: string[];
}

/** Every field optional; `participants`, `charges` and `sourceIds` replace the whole list. */
export class UpdateCaseDto extends PartialType(CreateCaseDto, { skipNullProperties: false }) {}

export class ListCasesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STAGES })
  @IsOptional()
  @IsIn(CASE_STAGES)
  stage?: CaseStage;

  @ApiPropertyOptional({ example: 'KZ' })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  eventId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Cases this person takes part in.' })
  @IsOptional()
  @IsId()
  personId?: string;
}
