import type { StagedChange } from '#audit';
import type { CaseStage, CustodyStatus } from '#case-files';
import type { PartialDate, Visibility } from '#common';
import type { ChargeRecord, NameRecord, PersonState } from './import-state.js';

/**
 * What one batch of rows writes, collected while its rows are planned and written at once
 * (`BatchWriter`): multi-row inserts, then the updates in row order, then the audit entries.
 */
export interface BatchWrites {
  personInserts: Array<{
    id: string;
    externalId: string | null;
    displayName: string;
    country: string | null;
    birth: PartialDate | null;
    occupations: string[];
    visibility: Visibility;
    names: NameRecord[];
    sourceIds: string[];
    /** Its state, whose custody events (all inserted with it, in this batch) give its current status. */
    state: PersonState;
  }>;
  personUpdates: Array<{
    id: string;
    expectedVersion: number;
    columns: {
      externalId?: string;
      displayName?: string;
      country?: string;
      birth?: PartialDate;
      occupations?: string[];
      visibility?: Visibility;
    };
    /** The whole new list of names, when it changes. */
    names?: NameRecord[];
    addSourceIds: string[];
  }>;
  custodyInserts: Array<{
    id: string;
    personId: string;
    status: CustodyStatus;
    from: PartialDate;
    place: string | null;
    facility: string | null;
    visibility: Visibility;
    sourceIds: string[];
  }>;
  /** Ids of the persons inserted by this batch. */
  insertedPersonIds: Set<string>;
  /** Persons not inserted in this batch whose custody history changes: their current status is recomputed. */
  statusRefresh: Set<string>;
  caseInserts: Array<{
    id: string;
    personId: string;
    title: string;
    country: string | null;
    court: string | null;
    stage: CaseStage;
    eventId: string | null;
    visibility: Visibility;
    charges: ChargeRecord[];
    sourceIds: string[];
  }>;
  caseUpdates: Array<{
    id: string;
    expectedVersion: number;
    columns: { stage?: CaseStage; court?: string; eventId?: string; visibility?: Visibility };
    addCharges: Array<ChargeRecord & { position: number }>;
    addSourceIds: string[];
  }>;
  hearingInserts: Array<{
    id: string;
    caseId: string;
    startsAt: Date;
    timeZone: string;
    court: string | null;
    visibility: Visibility;
  }>;
  audit: StagedChange[];
}

export function emptyWrites(): BatchWrites {
  return {
    personInserts: [],
    personUpdates: [],
    custodyInserts: [],
    insertedPersonIds: new Set(),
    statusRefresh: new Set(),
    caseInserts: [],
    caseUpdates: [],
    hearingInserts: [],
    audit: [],
  };
}
