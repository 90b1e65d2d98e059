import { ChangeReasonDto, VisibilityField, type Visibility } from '#common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateNoteDto extends ChangeReasonDto {
  @ApiProperty({
    example: 'Lawyer plans to ask for the hearing to be opened to observers.',
    description: 'Encrypted at rest; who may read it follows `visibility`.',
  })
  @IsString()
  @Length(1, 50000)
  body!: string;

  @VisibilityField()
  @ApiPropertyOptional({ description: '`restricted`: admins and users granted access to the person or case.' })
  visibility?: Visibility;
}

export class UpdateNoteDto extends PartialType(CreateNoteDto, { skipNullProperties: false }) {}
