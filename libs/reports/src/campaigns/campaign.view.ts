import { VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';

export class ModelLetterView {
  @ApiProperty()
  salutation!: string;

  @ApiProperty()
  facts!: string;

  @ApiProperty({ type: [String] })
  requests!: string[];

  @ApiProperty({ type: String, nullable: true })
  closing!: string | null;
}

export class CampaignCopyView {
  @ApiProperty({ type: String, nullable: true })
  title!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  address!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;
}

export class CampaignRecipientView extends CampaignCopyView {
  @ApiProperty({ type: String, nullable: true })
  salutation!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'BCP 47 tag of the language to write in.' })
  preferredLanguage!: string | null;
}

export class CampaignView extends RecordMeta {
  @ApiProperty({ format: 'uuid' })
  personId!: string;

  @ApiProperty({ type: String, nullable: true })
  headline!: string | null;

  @ApiProperty({ type: String, nullable: true })
  actionNumber!: string | null;

  @ApiProperty({ type: String, nullable: true })
  followUpOf!: string | null;

  @ApiProperty({ type: String, nullable: true })
  summary!: string | null;

  @ApiProperty({ type: ModelLetterView, nullable: true })
  modelLetter!: ModelLetterView | null;

  @ApiProperty({ type: [CampaignRecipientView] })
  recipients!: CampaignRecipientView[];

  @ApiProperty({ type: [CampaignCopyView] })
  copies!: CampaignCopyView[];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  appealDeadline!: string | null;

  @ApiProperty({ type: String, nullable: true })
  background!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'BCP 47 tag of the language the texts are written in.' })
  language!: string | null;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;
}
