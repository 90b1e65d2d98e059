import { PartialDateDto, type PartialDate, VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization.entity.js';

export class SourceView extends RecordMeta {
  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ example: 'NRC' })
  publisher!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  url!: string | null;

  @ApiProperty({ type: PartialDateDto, nullable: true })
  published!: PartialDate | null;

  @ApiProperty({ type: String, nullable: true, example: 'nl' })
  language!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;

  @ApiProperty({ type: String, nullable: true, description: 'Admins only; null for everyone else.' })
  contactDetails!: string | null;
}

export class OrganizationView extends RecordMeta {
  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ example: 'Amnesty International', description: 'The main name (`names[0]`).' })
  name!: string;

  @ApiProperty({ type: [String] })
  names!: string[];

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  kind!: OrganizationKind;

  @ApiProperty({ type: String, nullable: true, example: 'KZ' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class EventView extends RecordMeta {
  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ example: 'January 2022 unrest', description: 'The main name (`names[0]`).' })
  name!: string;

  @ApiProperty({ type: [String] })
  names!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'KZ' })
  country!: string | null;

  @ApiProperty({ type: PartialDateDto, nullable: true })
  start!: PartialDate | null;

  @ApiProperty({ type: PartialDateDto, nullable: true })
  end!: PartialDate | null;

  @ApiProperty({ type: String, nullable: true })
  summary!: string | null;

  @ApiProperty({ type: [String], format: 'uuid' })
  sourceIds!: string[];
}
