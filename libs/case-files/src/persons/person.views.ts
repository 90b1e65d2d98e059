import { PartialDateDto, type PartialDate, VISIBILITIES, type Visibility } from '#common';
import { RecordMeta } from '#database';
import { ApiProperty } from '@nestjs/swagger';
import { CASE_STAGES, type CaseStage, PARTICIPANT_ROLES, type ParticipantRole } from '../cases/case.js';
import { ChargeView } from '../cases/case.view.js';
import { CUSTODY_STATUSES, type CustodyStatus } from '../custody/custody.js';
import { CustodyEventView } from '../custody/custody-event.view.js';
import { HearingView } from '../hearings/hearing.view.js';

export class PersonNameView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Жанболат Мамай' })
  value!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Cyrl' })
  script!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'kk' })
  lang!: string | null;

  @ApiProperty()
  preferred!: boolean;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class DesignationView {
  @ApiProperty({ example: 'prisoner of conscience' })
  designation!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organizationId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Amnesty International' })
  organizationName!: string | null;

  @ApiProperty({ type: PartialDateDto, nullable: true })
  since!: PartialDate | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class CurrentCustodyView {
  @ApiProperty({ enum: CUSTODY_STATUSES })
  status!: CustodyStatus;

  @ApiProperty({ type: PartialDateDto })
  since!: PartialDate;

  @ApiProperty({ type: String, nullable: true })
  place!: string | null;

  @ApiProperty({ type: String, nullable: true })
  facility!: string | null;

  @ApiProperty({ format: 'uuid', description: 'The custody event this is derived from.' })
  eventId!: string;
}

/** A person as shown in lists. */
export class PersonSummaryView extends RecordMeta {
  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty({ example: 'Zhanbolat Mamay', description: 'The preferred name.' })
  displayName!: string;

  @ApiProperty({ type: [PersonNameView], description: 'Every spelling, the preferred one first.' })
  names!: PersonNameView[];

  @ApiProperty({ type: String, nullable: true, example: 'KZ' })
  country!: string | null;

  @ApiProperty({ type: [String], example: ['journalist'] })
  occupations!: string[];

  @ApiProperty({ enum: VISIBILITIES })
  visibility!: Visibility;

  @ApiProperty({ type: CurrentCustodyView, nullable: true, description: 'Derived from the latest custody event.' })
  currentCustody!: CurrentCustodyView | null;
}

export class PersonCaseView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: CASE_STAGES })
  stage!: CaseStage;

  @ApiProperty({ enum: PARTICIPANT_ROLES, isArray: true, description: "The person's roles in the case." })
  roles!: ParticipantRole[];

  @ApiProperty({ type: [ChargeView] })
  charges!: ChargeView[];

  @ApiProperty({ type: HearingView, nullable: true })
  nextHearing!: HearingView | null;
}

/** The whole case file of one person. */
export class PersonCaseFileView extends PersonSummaryView {
  @ApiProperty({ type: PartialDateDto, nullable: true })
  birthDate!: PartialDate | null;

  @ApiProperty({ type: [DesignationView] })
  designations!: DesignationView[];

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Restricted: null unless the reader is an admin or granted access to this person.',
  })
  contactDetails!: string | null;

  @ApiProperty({ description: "Whether the reader may see this person's restricted material." })
  restrictedAccess!: boolean;

  @ApiProperty({ type: [String], format: 'uuid' })
  sourceIds!: string[];

  @ApiProperty({ type: [CustodyEventView], description: 'Oldest first.' })
  custodyHistory!: CustodyEventView[];

  @ApiProperty({ type: [PersonCaseView] })
  cases!: PersonCaseView[];
}
