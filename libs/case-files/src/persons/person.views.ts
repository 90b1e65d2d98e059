import type { PartialDate, Visibility } from '#common';
import type { RecordMeta } from '#database';
import type { CaseStage, ParticipantRole, Term } from '../cases/case.js';
import type { CustodyEventView } from '../custody/custody.service.js';
import type { HearingView } from '../hearings/hearings.service.js';

export interface PersonNameView {
  id: string;
  value: string;
  script: string | null;
  lang: string | null;
  preferred: boolean;
  note: string | null;
}

export interface DesignationView {
  designation: string;
  organizationId: string | null;
  organizationName: string | null;
  since: PartialDate | null;
  note: string | null;
}

export interface CurrentCustodyView {
  status: CustodyEventView['status'];
  since: PartialDate;
  place: string | null;
  facility: string | null;
  eventId: string;
}

/** A person as shown in lists. */
export interface PersonSummaryView extends RecordMeta {
  externalId: string | null;
  displayName: string;
  names: PersonNameView[];
  country: string | null;
  occupations: string[];
  visibility: Visibility;
  currentCustody: CurrentCustodyView | null;
}

export interface PersonCaseView {
  id: string;
  title: string;
  stage: CaseStage;
  roles: ParticipantRole[];
  charges: Array<{ article: string | null; description: string; maxSentence: Term | null }>;
  nextHearing: HearingView | null;
}

/** The whole case file of one person. */
export interface PersonCaseFileView extends PersonSummaryView {
  birthDate: PartialDate | null;
  designations: DesignationView[];
  notes: string | null;
  sourceIds: string[];
  custodyHistory: CustodyEventView[];
  cases: PersonCaseView[];
}
