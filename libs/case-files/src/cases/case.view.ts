import { PartialDateDto, type PartialDate, VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
import { HearingView } from '../hearings/hearing.view.js';
import {
  CASE_STAGES,
  type CaseStage,
  PARTICIPANT_ROLES,
  type ParticipantRole,
  type Term,
  VERDICTS,
  type Verdict,
} from './case.js';
import { TermDto } from './case.dto.js';

export class CaseParticipantView {
  @ApiProperty({ format: 'uuid' })
  personId!: string;

  @ApiProperty({ example: 'Zhanbolat Mamay' })
  displayName!: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES })
  role!: ParticipantRole;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class ChargeView {
  @ApiProperty({ type: String, nullable: true })
  article!: string | null;

  @ApiProperty({ example: 'organizing the anti-government riots of January 2022' })
  description!: string;

  @ApiProperty({ type: TermDto, nullable: true, example: { years: 10 } })
  maxSentence!: Term | null;
}

export class CaseOutcomeView {
  @ApiProperty({ enum: VERDICTS })
  verdict!: Verdict;

  @ApiProperty({ type: PartialDateDto, nullable: true })
  date!: PartialDate | null;

  @ApiProperty({ type: TermDto, nullable: true })
  sentence!: Term | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class CaseView extends RecordMeta {
  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ example: 'Prosecution of Zhanbolat Mamay' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'KZ' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true })
  court!: string | null;

  @ApiProperty({ type: String, nullable: true })
  jurisdiction!: string | null;

  @ApiProperty({ enum: CASE_STAGES })
  stage!: CaseStage;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: [CaseParticipantView] })
  participants!: CaseParticipantView[];

  @ApiProperty({ type: [ChargeView] })
  charges!: ChargeView[];

  @ApiProperty({ type: CaseOutcomeView, nullable: true })
  outcome!: CaseOutcomeView | null;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;

  @ApiProperty({ type: [String], format: 'uuid' })
  sourceIds!: string[];

  @ApiProperty({ type: HearingView, nullable: true, description: 'The earliest future hearing still scheduled.' })
  nextHearing!: HearingView | null;
}
