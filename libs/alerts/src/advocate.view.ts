import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
import { LANGUAGES, type Language } from './alerts.js';

export class AdvocateView extends RecordMeta {
  @ApiProperty({ example: 'Aigerim Tleuzhan' })
  name!: string;

  @ApiProperty({ example: 'lawyer@example.org' })
  email!: string;

  @ApiProperty({ enum: LANGUAGES })
  language!: Language;

  @ApiProperty({ example: 'Europe/Berlin' })
  timeZone!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Whole for editors and admins; for viewers only its origin (`https://hooks.example.org/…`).',
  })
  webhookUrl!: string | null;

  @ApiProperty({ description: 'Whether a webhook signing secret is set (it is only ever shown when made).' })
  hasWebhookSecret!: boolean;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The person in the case files; null also when you may not see that person.',
  })
  personId!: string | null;

  @ApiProperty({ description: 'Signed up through the public follow form: receives public material only.' })
  selfService!: boolean;
}

export class AdvocateCreatedView extends AdvocateView {
  @ApiProperty({
    example: 'ctw_3q2-7wEvhKzGZ0n3yQyJ1b4bX0pX5c7vJd2mRw8Qq0s',
    description:
      'The key of the HMAC-SHA256 signatures on webhook messages. Shown only now: keep it; ' +
      '`POST /advocates/{id}/webhook-secret` makes a new one.',
  })
  webhookSecret!: string;
}

export class WebhookSecretView {
  @ApiProperty({ description: 'The new signing key; the previous one stops being used at once. Shown only now.' })
  webhookSecret!: string;
}

export class CalendarUrlView {
  @ApiProperty({
    example: 'https://tracker.example.org/calendar/ctc_Zx9....ics',
    description: "The advocate's private iCalendar feed of the hearings they follow (anyone with the URL can read it).",
  })
  url!: string;
}
