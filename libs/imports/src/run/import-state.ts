import type { CaseStage, CustodyStatus } from '#case-files';
import type { PartialDate, Visibility } from '#common';
import type { ColumnName } from '../rows/columns.js';

/** A name as stored (`person_names`), and as the audit trail keeps it. */
export interface NameRecord {
  value: string;
  script: string | null;
  lang: string | null;
  preferred: boolean;
  note: string | null;
}

/** A charge as stored (`case_charges`), and as the audit trail keeps it. */
export interface ChargeRecord {
  article: string | null;
  description: string;
  maxSentence: { years?: number; months?: number; days?: number } | null;
}

export interface CustodyFactState {
  status: CustodyStatus;
  from: PartialDate;
  visibility: Visibility;
  /** Recording order: the stored `seq`, or above every stored one for events of this import. */
  seq: bigint;
}

/** A case of a person (as defendant), as the import knows it: loaded, or created by an earlier row. */
export interface CaseState {
  id: string;
  isNew: boolean;
  title: string;
  stage: CaseStage;
  court: string | null;
  eventId: string | null;
  visibility: Visibility;
  version: number;
  charges: ChargeRecord[];
  sourceIds: string[];
  /** Start instants (ms) of the case's live hearings the requester may see. */
  hearings: Set<number>;
  /** Whether the requester may write restricted material of the case (null until asked). */
  clearance: boolean | null;
  /** The rows of the file that gave its fields first, by column (null: no row yet; see `FileRows`). */
  fileRows: FileRows | null;
}

/** A person as the import knows it: loaded from the database, or created by an earlier row. */
export interface PersonState {
  id: string;
  isNew: boolean;
  externalId: string | null;
  displayName: string;
  names: NameRecord[];
  country: string | null;
  birth: PartialDate | null;
  occupations: string[];
  visibility: Visibility;
  version: number;
  sourceIds: string[];
  /**
   * Live custody events the requester may see (restricted ones with clearance on the person only):
   * what a row's custody is compared with.
   */
  events: CustodyFactState[];
  /**
   * Live cases the requester may see in which the person is a defendant, by `caseKey` of the title
   * (the first recorded of several with one title).
   */
  cases: Map<string, CaseState>;
  /** Titles (`caseKey`) of several of those cases: a row naming one of them is ambiguous. */
  sharedTitles: Set<string>;
  archived: boolean;
  /**
   * Whether the requester may see (and so change) the person. Of a person they may not see, only
   * that it holds its external id matters (names, custody and cases are not loaded).
   */
  visible: boolean;
  /** Whether the requester may write restricted material of the person (null until asked). */
  clearance: boolean | null;
  /** The rows of the file that gave its fields first, by column (null: no row yet; see `FileRows`). */
  fileRows: FileRows | null;
}

/**
 * Which row of the file (planned so far) first gave each field of a person or case that two rows
 * could give differently. The value is the record's own: once a row has given it, no later row
 * of the file may change it (`ImportPlanner`).
 */
export type FileRows = Partial<Record<ColumnName, number>>;

/** The key cases are matched by within a person's cases: the title, trimmed and lower-cased. */
export function caseKey(title: string): string {
  return title.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}
