import { VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
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
