import { VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';

export class NoteView extends RecordMeta {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  personId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  caseId!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;

  @ApiProperty({ description: 'Who wrote the note (email of the user, or name of the API key).' })
  author!: string;
}
