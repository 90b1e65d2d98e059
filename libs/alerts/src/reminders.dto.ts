import { IsId, PageQueryDto } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  ANNOUNCEMENTS,
  type Announcement,
  CHANNELS,
  type Channel,
  REMINDER_KINDS,
  REMINDER_STATUSES,
  type ReminderKind,
  type ReminderStatus,
} from './alerts.js';

export class ListRemindersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REMINDER_STATUSES, description: '`failed` lists what needs attention.' })
  @IsOptional()
  @IsIn(REMINDER_STATUSES)
  status?: ReminderStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  advocateId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  hearingId?: string;
}

/** One message to one advocate on one channel, and how its delivery went. */
export class ReminderView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: REMINDER_KINDS })
  kind!: ReminderKind;

  @ApiProperty({ enum: ANNOUNCEMENTS, nullable: true, description: 'For notices: what changed.' })
  notice!: Announcement | null;

  @ApiProperty({ type: String, nullable: true, example: 'P1D', description: 'For reminders: how long before.' })
  leadTime!: string | null;

  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({
    enum: REMINDER_STATUSES,
    description:
      '`scheduled` waits for its time, `sending` is being sent, `sent`, `cancelled` (the hearing moved or was ' +
      'cancelled, or the subscription ended), `failed` after the last attempt (retry it), `skipped` when its ' +
      'time had passed before it could be sent.',
  })
  status!: ReminderStatus;

  @ApiProperty({ format: 'date-time', description: 'When it is (or was) to be sent.' })
  dueAt!: string;

  @ApiProperty({ description: 'Delivery attempts so far.' })
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'email: ECONNECTION (connect ECONNREFUSED 127.0.0.1:25)',
    description: 'Why the last attempt failed (or why it was not sent); never message contents.',
  })
  lastError!: string | null;

  @ApiProperty({ format: 'uuid' })
  advocateId!: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  hearingId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  caseId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  personId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
