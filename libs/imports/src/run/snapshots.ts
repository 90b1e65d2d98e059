import type { Snapshot } from '#audit';
import type { PartialDate, Visibility } from '#common';
import type { CaseState, ChargeRecord, CustodyFactState, NameRecord, PersonState } from './import-state.js';

/**
 * What the audit trail keeps of the records an import writes, in the shape the case-file
 * services record (`PersonsService`, `CustodyService`, `CasesService`, `HearingsService`), so that
 * a record's history reads the same whoever wrote it. Updates keep only the fields that change:
 * an entry lists changed fields only anyway.
 */

export function personCreated(p: PersonState): Snapshot {
  return {
    externalId: p.externalId,
    names: p.names.map(nameSnapshot),
    country: p.country,
    birthDate: p.birth,
    occupations: p.occupations,
    designations: [],
    notes: null,
    contactDetails: null,
    visibility: p.visibility,
    sourceIds: [...p.sourceIds].sort(),
    archivedAt: null,
  };
}

/** The fields of a person an import may change, for the before and after of an update. */
export function personFields(p: PersonState): Snapshot {
  return {
    externalId: p.externalId,
    names: p.names.map(nameSnapshot),
    country: p.country,
    birthDate: p.birth,
    occupations: p.occupations,
    visibility: p.visibility,
    sourceIds: [...p.sourceIds].sort(),
  };
}

function nameSnapshot({ value, script, lang, preferred, note }: NameRecord): NameRecord {
  return { value, script, lang, preferred, note };
}

export function custodyCreated(event: {
  personId: string;
  status: CustodyFactState['status'];
  from: PartialDate;
  place: string | null;
  facility: string | null;
  visibility: Visibility;
  sourceIds: string[];
}): Snapshot {
  return {
    personId: event.personId,
    status: event.status,
    from: event.from,
    place: event.place,
    facility: event.facility,
    note: null,
    visibility: event.visibility,
    sourceIds: [...event.sourceIds].sort(),
    archivedAt: null,
  };
}

export function caseCreated(c: CaseState, country: string | null, personId: string): Snapshot {
  return {
    externalId: null,
    title: c.title,
    country,
    court: c.court,
    jurisdiction: null,
    stage: c.stage,
    eventId: c.eventId,
    participants: [{ personId, role: 'defendant', note: null }],
    charges: c.charges.map(chargeSnapshot),
    outcome: null,
    notes: null,
    visibility: c.visibility,
    sourceIds: [...c.sourceIds].sort(),
    archivedAt: null,
  };
}

/** The fields of a case an import may change, for the before and after of an update. */
export function caseFields(c: CaseState): Snapshot {
  return {
    stage: c.stage,
    court: c.court,
    eventId: c.eventId,
    charges: c.charges.map(chargeSnapshot),
    visibility: c.visibility,
    sourceIds: [...c.sourceIds].sort(),
  };
}

function chargeSnapshot({ article, description, maxSentence }: ChargeRecord): ChargeRecord {
  return { article, description, maxSentence };
}

export function hearingCreated(h: {
  caseId: string;
  startsAt: Date;
  timeZone: string;
  court: string | null;
  visibility: Visibility;
}): Snapshot {
  return {
    caseId: h.caseId,
    startsAt: h.startsAt.toISOString(),
    timeZone: h.timeZone,
    court: h.court,
    courtroom: null,
    kind: 'other',
    status: 'scheduled',
    outcome: null,
    postponedToId: null,
    visibility: h.visibility,
    archivedAt: null,
  };
}
