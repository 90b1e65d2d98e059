import type { CaseStage, CustodyStatus, HearingKind, HearingStatus, ParticipantRole, Term, Verdict } from '#case-files';
import type { PartialDate } from '#common';
import type { CampaignCopy, CampaignRecipient, ModelLetter } from './campaigns/campaign.entity.js';
import type { Audience, ReportKind } from './reports.js';

/**
 * The facts of a report, read from the case files for one audience and free of any formatting:
 * builders (`builder/`) produce them, presenters (`present/`) turn them into a localised
 * document, and the JSON format writes them as they are. Every value here may be shown to the
 * report's audience: builders leave out what the audience may not see.
 */
export interface ReportMeta {
  kind: ReportKind;
  audience: Audience;
  /** Language of labels and dates (a catalog in `locales/`). */
  language: string;
  /** The instant the report was made (ISO 8601). */
  issuedAt: string;
  /** The date of issue, in the organisation's time zone (`YYYY-MM-DD`). */
  issuedOn: string;
  /** The organisation's time zone (`REPORT_TIME_ZONE`): dates of instants (notes) are given in it. */
  timeZone: string;
  /** The organisation issuing the report (`REPORT_ORGANISATION`). */
  organisation: string;
}

export interface NameData {
  value: string;
  /** ISO 15924 (`Latn`, `Cyrl`). */
  script: string | null;
  /** BCP 47 (`kk`, `ru`, `en`, `nl`). */
  lang: string | null;
  preferred: boolean;
}

export interface DesignationData {
  designation: string;
  organisation: string | null;
  since: PartialDate | null;
}

export interface CustodyData {
  status: CustodyStatus;
  from: PartialDate;
  place: string | null;
  facility: string | null;
  note: string | null;
}

export interface HearingData {
  /** The instant (ISO 8601); shown in the court's `timeZone`. */
  startsAt: string;
  /** IANA zone of the court. */
  timeZone: string;
  court: string | null;
  courtroom: string | null;
  kind: HearingKind;
  status: HearingStatus;
  outcome: string | null;
  caseTitle: string;
}

export interface ChargeData {
  article: string | null;
  description: string;
  maxSentence: Term | null;
}

export interface OutcomeData {
  verdict: Verdict;
  date: PartialDate | null;
  sentence: Term | null;
  note: string | null;
}

export interface CaseData {
  title: string;
  court: string | null;
  stage: CaseStage;
  /** The person's roles in the case. */
  roles: ParticipantRole[];
  charges: ChargeData[];
  outcome: OutcomeData | null;
  /** Hearings whose time has passed (held, postponed, or scheduled and never marked held), oldest first. */
  pastHearings: HearingData[];
  /** Hearings from now on, scheduled or postponed (see `status`), soonest first. */
  upcomingHearings: HearingData[];
}

/** A mass event the cases belong to (the background). */
export interface EventData {
  name: string;
  otherNames: string[];
  start: PartialDate | null;
  end: PartialDate | null;
  summary: string | null;
}

export interface SourceData {
  publisher: string;
  title: string;
  url: string | null;
  published: PartialDate | null;
}

/** Internal notes: only in `internal` reports. */
export interface NoteData {
  body: string;
  author: string;
  createdAt: string;
}

export interface CampaignData {
  headline: string | null;
  actionNumber: string | null;
  followUpOf: string | null;
  summary: string | null;
  modelLetter: ModelLetter | null;
  recipients: CampaignRecipient[];
  copies: CampaignCopy[];
  /** `YYYY-MM-DD`. */
  appealDeadline: string | null;
  background: string | null;
  /** Language the campaign texts are written in. */
  language: string | null;
}

/** Everything a dossier on one person shows. */
export interface DossierData {
  meta: ReportMeta;
  person: {
    displayName: string;
    /** Every recorded spelling, the preferred one first. */
    names: NameData[];
    country: string | null;
    birthDate: PartialDate | null;
    occupations: string[];
    designations: DesignationData[];
  };
  currentCustody: CustodyData | null;
  /** Oldest first. */
  custodyHistory: CustodyData[];
  cases: CaseData[];
  events: EventData[];
  campaign: CampaignData | null;
  sources: SourceData[];
  /** Only in `internal` reports (empty in public ones). */
  notes: NoteData[];
}

/** One person in a campaign list. */
export interface CampaignRowData {
  name: string;
  otherNames: string[];
  country: string | null;
  status: CustodyStatus | null;
  statusSince: PartialDate | null;
  place: string | null;
  charges: ChargeData[];
  /** Stage of the person's most recent open case (or latest case). */
  stage: CaseStage | null;
  nextHearing: HearingData | null;
  /** Longest sentence imposed on the person, if convicted. */
  sentence: Term | null;
}

export interface CountData {
  key: string;
  count: number;
}

export interface StatusCountData {
  /** The custody status; null: no custody recorded. */
  key: CustodyStatus | null;
  count: number;
}

export interface CampaignSummaryData {
  persons: number;
  /**
   * Persons by current custody status, largest first; `key: null` counts the persons with no
   * custody recorded (listed last, as in the facets of `GET /persons`), apart from the status
   * `unknown`, which an editor recorded.
   */
  byStatus: StatusCountData[];
  /** Persons by charge (article, or description when no article), largest first. */
  byCharge: CountData[];
  /** Sentences imposed on the listed persons. */
  sentences: {
    count: number;
    /** Sum of every sentence, in months. */
    totalMonths: number;
    longest: { name: string; term: Term } | null;
  };
  /** Scheduled hearings of the listed persons in the next 30 days. */
  hearingsNext30Days: number;
}

/** A list of persons chosen by a filter; rows are read as they are written (a stream). */
export interface CampaignListData {
  meta: ReportMeta;
  /** The filter as given (shown on the report). */
  filter: Record<string, string>;
  /**
   * The name of the mass event of `filter.eventId`, so that the report names it rather than
   * showing its id; null without that filter, or when the audience may not see the event.
   */
  eventName: string | null;
  summary: CampaignSummaryData;
  rows: AsyncIterable<CampaignRowData>;
}

export type ReportData =
  ({ meta: { kind: 'dossier' } } & DossierData) | ({ meta: { kind: 'campaign' } } & CampaignListData);
