import { VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
import { CASE_STAGES, type CaseStage } from '../cases/case.js';
import { HEARING_KINDS, HEARING_STATUSES, type HearingKind, type HearingStatus } from './hearing.js';

export class HearingView extends RecordMeta {
  @ApiProperty({ format: 'uuid' })
  caseId!: string;

  @ApiProperty({ format: 'date-time', example: '2024-03-15T05:00:00.000Z', description: 'The instant, in UTC.' })
  startsAt!: string;

  @ApiProperty({
    example: '2024-03-15T10:00:00+05:00',
    description: 'The same instant as wall-clock time at the court, with the offset in force then.',
  })
  localStartsAt!: string;

  @ApiProperty({ example: 'Asia/Almaty', description: 'IANA time zone of the court' })
  timeZone!: string;

  @ApiProperty({ type: String, nullable: true })
  court!: string | null;

  @ApiProperty({ type: String, nullable: true })
  courtroom!: string | null;

  @ApiProperty({ enum: HEARING_KINDS })
  kind!: HearingKind;

  @ApiProperty({ enum: HEARING_STATUSES })
  status!: HearingStatus;

  @ApiProperty({ type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  postponedToId!: string | null;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;
}

/** The case a hearing belongs to, as far as a hearings list shows it. */
export class HearingCaseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Case of the January 2022 unrest in Almaty' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Almaty City Court' })
  court!: string | null;

  @ApiProperty({ enum: CASE_STAGES })
  stage!: CaseStage;
}

export class HearingDefendantView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Zhanbolat Mamay', description: 'The preferred name.' })
  displayName!: string;
}

/** A hearing coming up, with its case and the defendants you may see. */
export class UpcomingHearingView {
  @ApiProperty({ type: HearingView })
  hearing!: HearingView;

  @ApiProperty({ type: HearingCaseView })
  case!: HearingCaseView;

  @ApiProperty({
    type: [HearingDefendantView],
    description: "The case's defendants you may see (live persons), in the case's order.",
  })
  defendants!: HearingDefendantView[];
}
