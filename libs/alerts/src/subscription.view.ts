import { ApiProperty } from '@nestjs/swagger';
import {
  ANNOUNCEMENTS,
  type Announcement,
  CHANNELS,
  type Channel,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
} from './alerts.js';

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  advocateId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  caseId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  personId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: [String], example: ['P7D', 'P1D', 'PT2H'] })
  leadTimes!: string[];

  @ApiProperty({ enum: CHANNELS, isArray: true })
  channels!: Channel[];

  @ApiProperty({ enum: ANNOUNCEMENTS, isArray: true })
  announce!: Announcement[];

  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, description: '`pending` until a public follower confirms by email.' })
  status!: SubscriptionStatus;

  @ApiProperty({ description: 'Made through the public follow form: only public material reaches it.' })
  publicOnly!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: string | null;
}

export class FollowAcceptedView {
  @ApiProperty({ example: 'pending' })
  status!: 'pending';

  @ApiProperty({
    example: 'If this address can receive alerts, a link to confirm has been sent to it.',
  })
  message!: string;
}
