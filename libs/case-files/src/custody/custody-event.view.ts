import { PartialDateDto, type PartialDate, VISIBILITIES, type Visibility } from '#common';
import { ApiProperty } from '@nestjs/swagger';
import { CUSTODY_STATUSES, type CustodyStatus } from './custody.js';

export class CustodyEventView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 1, description: 'Raised on every correction; sent as the `ETag`.' })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  personId!: string;

  @ApiProperty({ enum: CUSTODY_STATUSES })
  status!: CustodyStatus;

  @ApiProperty({ type: PartialDateDto })
  from!: PartialDate;

  @ApiProperty({ type: String, nullable: true })
  place!: string | null;

  @ApiProperty({ type: String, nullable: true })
  facility!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;

  @ApiProperty({ type: [String], format: 'uuid' })
  sourceIds!: string[];

  @ApiProperty({ format: 'date-time', description: 'When the event was recorded (breaks ties between equal dates).' })
  recordedAt!: string;
}
