import { hasClearance, type SqlCondition } from '#access';
import {
  type CaseStage,
  caseVisible,
  childVisible,
  type CustodyStatus,
  deriveCurrentCustody,
  intervalToTerm,
  nameKey,
  personVisible,
} from '#case-files';
import { type Actor, DEFAULT_VISIBILITY, groupBy, type PartialDate, type Visibility, type WriteContext } from '#common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  addDuplicate,
  addProblems,
  type DuplicateReport,
  type ImportReport,
  type RowProblem,
} from '../import-report.js';
import type { ColumnName } from '../rows/columns.js';
import type { ParsedRow } from '../rows/row-parser.js';
import type { BatchWrites } from './batch-writes.js';
import { type CaseState, caseKey, type FileRows, type NameRecord, type PersonState } from './import-state.js';
import { type Candidate, compatibleBirthYears } from './duplicate-candidates.js';
import * as snapshots from './snapshots.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Recording order of events added by the import: after every stored one. */
const IMPORTED_SEQ_BASE = 1n << 62n;

interface Reference {
  id: string | null;
  problem: string | null;
}

/**
 * A field of a person or case that two rows of a file could give differently: its column, its
 * value as a row gives it (null: the cell is empty), and as the record has it.
 */
interface Field<S> {
  column: ColumnName;
  given: (row: ParsedRow, eventId: string | null) => string | null;
  stored: (state: S) => string | null;
}

/**
 * A row's external id that a person the requester may not see, or an archived one, has: the same
 * words for both, as the API's 409 for a duplicate external id does not say whose it is (a
 * restricted person must not show through a difference between the two).
 */
export const EXTERNAL_ID_TAKEN =
  'is already used by another record: give another external id, or restore the person if it is archived';

const dateText = (date: PartialDate | null | undefined) => (date ? `${date.precision} ${date.date}` : null);

/** Names, occupations and sources add up instead. */
const PERSON_FIELDS: Array<Field<PersonState>> = [
  { column: 'country', given: (row) => row.person.country ?? null, stored: (p) => p.country },
  { column: 'birth_year', given: (row) => dateText(row.person.birthDate), stored: (p) => dateText(p.birth) },
  { column: 'visibility', given: (row) => row.person.visibility ?? null, stored: (p) => p.visibility },
];

/** Charges add up instead. */
const CASE_FIELDS: Array<Field<CaseState>> = [
  { column: 'stage', given: (row) => row.case?.stage ?? null, stored: (c) => c.stage },
  { column: 'court', given: (row) => row.case?.court ?? null, stored: (c) => c.court },
  { column: 'event', given: (_row, eventId) => eventId, stored: (c) => c.eventId },
  { column: 'visibility', given: (row) => row.case?.visibility ?? null, stored: (c) => c.visibility },
];

export interface PlannerOptions {
  importId: string;
  fileName: string;
  actor: Actor;
  /** Reads (and, in a real run, locks) what rows refer to: the import's transaction, or the pool. */
  manager: EntityManager;
  /** The stored persons rows may duplicate, by row (`findDuplicateCandidates`). */
  candidates: Map<number, Candidate[]>;
  /** Lock the persons and cases the import may change (a real run) or not (a dry run). */
  lock: boolean;
}

/**
 * Decides, row by row and in file order, what each valid row writes: creates a person or updates
 * the one its external id (or `person_id`) names, appends a custody event unless the person's
 * history says so already, creates the case once per person and title, a hearing once per case
 * and instant. It keeps what the file has written so far (persons, cases, events), so that a later
 * row about the same person sees the earlier ones, in a dry run as in a real one.
 *
 * It compares rows with what the requester may see only (`loadPersons`): a custody event, case or
 * hearing they may not see neither stops a row from adding its own (as the API would let them)
 * nor shows through the report, and a person they may not see is refused as an archived one is.
 *
 * Rows of one file about the same person (or case) combine, so that importing the file again
 * writes nothing: the first row about a person gives its preferred name, the others add theirs as
 * other spellings (as they add occupations, sources and charges); a field given differently by two
 * rows (a country, a stage, a court...) is a problem of the later row, naming the earlier one,
 * rather than a value that each run sets back and forth. A field one row leaves empty does not
 * disagree with another row's value.
 *
 * Followers are told of what the import writes as of the API's writes (audit entries staged with
 * `notify`): changes to records that existed before the import, and the hearings of cases of a
 * mass event an active subscription follows, whether or not the case or its person is new (whether
 * anyone follows an event is read with the event, once per import).
 *
 * Everything a batch needs from the database is read per batch (a few queries, however many
 * rows). Probable duplicates among stored persons come from the name searches made before
 * (`findDuplicateCandidates`); persons created by earlier rows of the file are matched by their
 * folded name (`nameKey`).
 */
export class ImportPlanner {
  private readonly byExternalId = new Map<string, PersonState | null>();
  private readonly byId = new Map<string, PersonState | null>();
  /** Persons created by this file, by folded name: for duplicates within the file. */
  private readonly createdByKey = new Map<string, Array<{ row: number; name: string; birthYear: number | null }>>();
  private readonly sources = new Map<string, Reference>();
  private readonly events = new Map<string, Reference>();
  /** Ids of the mass events (among those rows name) that an active subscription follows. */
  private readonly followedEvents = new Set<string>();
  private importedSeq = IMPORTED_SEQ_BASE;

  constructor(
    private readonly options: PlannerOptions,
    readonly report: ImportReport,
  ) {}

  /**
   * Plans a batch of rows (already parsed and valid as far as the file goes), adding what they
   * write to `writes` and what is wrong with them to the report. Returns the rows with problems.
   */
  async plan(rows: ParsedRow[], writes: BatchWrites): Promise<number> {
    await this.loadPersons(rows);
    await this.resolveReferences(rows);
    let invalid = 0;
    for (const row of rows) {
      const problems = await this.planRow(row, this.options.candidates.get(row.row) ?? [], writes);
      if (problems.length > 0) {
        invalid += 1;
        addProblems(this.report, problems);
      }
    }
    return invalid;
  }

  private context(row: number): WriteContext {
    const file = this.options.fileName.length > 200 ? `${this.options.fileName.slice(0, 199)}…` : this.options.fileName;
    return { actor: this.options.actor, reason: `import ${this.options.importId} (${file}) row ${row}` };
  }

  // ---- One row ---------------------------------------------------------------------------

  private async planRow(row: ParsedRow, candidates: Candidate[], writes: BatchWrites): Promise<RowProblem[]> {
    const problems: RowProblem[] = [];
    const problem = (column: string, message: string) => problems.push({ row: row.row, column, message });
    const actor = this.options.actor;

    // Who the row is about.
    let person: PersonState | null = null;
    if (row.personId) {
      person = this.byId.get(row.personId.toLowerCase()) ?? null;
      const other = row.externalId ? this.byExternalId.get(row.externalId) : null;
      if (!person || !person.visible) problem('person_id', 'names no person you may see');
      else if (person.archived) problem('person_id', 'names an archived person: restore it first');
      else if (other && other.id !== person.id) {
        problem(
          'external_id',
          other.visible && !other.archived
            ? 'is the external id of another person than the one person_id names'
            : EXTERNAL_ID_TAKEN,
        );
      } else if (row.externalId && person.externalId && person.externalId !== row.externalId) {
        problem('external_id', 'differs from the external id of the person person_id names');
      }
    } else if (row.externalId) {
      person = this.byExternalId.get(row.externalId) ?? null;
      if (person && (!person.visible || person.archived)) problem('external_id', EXTERNAL_ID_TAKEN);
    }
    if (problems.length > 0) return problems;

    // A new person: unless confirmed, not when it is probably someone already known.
    if (!person && !row.newPerson) {
      const duplicate = this.duplicateOf(row, candidates);
      if (duplicate) {
        addDuplicate(this.report, duplicate);
        return [];
      }
    }

    // References and permissions, all checked before anything is planned.
    const source = row.source === null ? null : this.sources.get(row.source)!;
    if (source?.problem) problem('source', source.problem);
    const event = row.event === null ? null : this.events.get(row.event)!;
    if (event?.problem) problem('event', event.problem);
    // Only cases the requester may see are known (`loadPersons`): a title of none of them creates a case.
    const titleKey = row.case ? caseKey(row.case.title) : null;
    const theCase = person && titleKey !== null ? (person.cases.get(titleKey) ?? null) : null;
    if (person && titleKey !== null && person.sharedTitles.has(titleKey)) {
      problem(
        'case_title',
        'is the title of several cases of this person: give them different titles (or archive one) so that the row names one',
      );
    }
    // What earlier rows of the file gave the same person and case (one problem per column: the
    // visibility is the person's and the case's).
    const eventId = event?.id ?? null;
    const disagree = [
      ...(person ? disagreements(person, PERSON_FIELDS, row, eventId, 'person') : []),
      ...(theCase && !event?.problem ? disagreements(theCase, CASE_FIELDS, row, eventId, 'case') : []),
    ];
    const columns = new Set<string>();
    for (const [column, message] of disagree) {
      if (!columns.has(column)) problem(column, message);
      columns.add(column);
    }
    if (row.visibility === 'restricted' && actor.role !== 'admin') {
      if (!person || !(await this.personClearance(person))) {
        problem(
          'visibility',
          'restricted material is written only by admins and users granted access to the person (a new person: admins)',
        );
      } else if (row.case && (!theCase || !(await this.caseClearance(theCase)))) {
        problem('visibility', 'restricted material of a case is written only by admins and users granted access to it');
      }
    }
    if (problems.length > 0) return problems;

    const context = this.context(row.row);
    const sourceIds = source?.id ? [source.id] : [];
    let changed = false;

    // The person.
    if (!person) {
      person = this.createPerson(row, sourceIds, writes, context);
      changed = true;
    } else {
      // Only the first row of the file about a person says which name is preferred.
      changed = this.updatePerson(person, row, person.fileRows === null, sourceIds, writes, context) || changed;
    }
    remember(person, PERSON_FIELDS, row, eventId);
    const existed = !person.isNew;

    // Custody.
    if (row.custody && this.custodyIsNew(person, row.custody.status, row.custody.from)) {
      const visibility = row.custody.visibility ?? DEFAULT_VISIBILITY;
      const created = {
        id: randomUUID(),
        personId: person.id,
        status: row.custody.status,
        from: row.custody.from,
        place: row.custody.place ?? null,
        facility: row.custody.facility ?? null,
        visibility,
        sourceIds,
      };
      writes.custodyInserts.push(created);
      person.events.push({ status: created.status, from: created.from, visibility, seq: this.importedSeq++ });
      if (!writes.insertedPersonIds.has(person.id)) writes.statusRefresh.add(person.id);
      writes.audit.push({
        context,
        action: 'create',
        entityType: 'custody-event',
        entityId: created.id,
        after: snapshots.custodyCreated(created),
        visibility: [visibility],
        notify: existed,
      });
      this.report.created.custodyEvents += 1;
      changed = true;
    }

    // The case, and its next hearing.
    if (row.case) {
      let state = theCase;
      if (!state) {
        state = this.createCase(person, row, sourceIds, event?.id ?? null, writes, context);
        changed = true;
      } else {
        changed = this.updateCase(state, row, sourceIds, event?.id ?? null, writes, context) || changed;
      }
      remember(state, CASE_FIELDS, row, eventId);
      if (row.hearing && !state.hearings.has(row.hearing.startsAt.getTime())) {
        const visibility = row.hearing.dto.visibility ?? DEFAULT_VISIBILITY;
        const created = {
          id: randomUUID(),
          caseId: state.id,
          startsAt: row.hearing.startsAt,
          timeZone: row.hearing.dto.timeZone,
          court: row.hearing.dto.court ?? null,
          visibility,
        };
        writes.hearingInserts.push(created);
        state.hearings.add(created.startsAt.getTime());
        writes.audit.push({
          context,
          action: 'create',
          entityType: 'hearing',
          entityId: created.id,
          after: snapshots.hearingCreated(created),
          visibility: [visibility],
          // Followers of a person known before, or of the case's mass event, may hear of it.
          notify: existed || this.followed(state.eventId),
        });
        this.report.created.hearings += 1;
        changed = true;
      }
    }

    this.report.imported += 1;
    if (!changed) this.report.unchanged += 1;
    return [];
  }

  private createPerson(row: ParsedRow, sourceIds: string[], writes: BatchWrites, context: WriteContext): PersonState {
    const names: NameRecord[] = row.person.names.map((n, i) => ({
      value: n.value,
      script: n.script ?? null,
      lang: null,
      preferred: i === 0,
      note: null,
    }));
    const person: PersonState = {
      id: randomUUID(),
      isNew: true,
      externalId: row.externalId,
      displayName: names[0]!.value,
      names,
      country: row.person.country ?? null,
      birth: row.person.birthDate ?? null,
      occupations: row.person.occupations ?? [],
      visibility: row.person.visibility ?? DEFAULT_VISIBILITY,
      version: 1,
      sourceIds,
      events: [],
      cases: new Map(),
      sharedTitles: new Set(),
      archived: false,
      visible: true,
      clearance: this.options.actor.role === 'admin',
      fileRows: null,
    };
    writes.personInserts.push({
      id: person.id,
      externalId: person.externalId,
      displayName: person.displayName,
      country: person.country,
      birth: person.birth,
      occupations: person.occupations,
      visibility: person.visibility,
      names,
      sourceIds,
      state: person,
    });
    writes.insertedPersonIds.add(person.id);
    if (person.externalId) this.byExternalId.set(person.externalId, person);
    const key = nameKey(person.displayName);
    if (key !== '') {
      const same = this.createdByKey.get(key) ?? [];
      same.push({ row: row.row, name: person.displayName, birthYear: row.birthYear });
      this.createdByKey.set(key, same);
    }
    writes.audit.push({
      context,
      action: 'create',
      entityType: 'person',
      entityId: person.id,
      after: snapshots.personCreated(person),
      visibility: [person.visibility],
      notify: false,
    });
    this.report.created.persons += 1;
    return person;
  }

  /**
   * Applies what the row says differently about a known person; false when it says nothing new.
   * With `prefer` (the file's first row about the person), the row's name becomes the preferred one.
   */
  private updatePerson(
    person: PersonState,
    row: ParsedRow,
    prefer: boolean,
    sourceIds: string[],
    writes: BatchWrites,
    context: WriteContext,
  ): boolean {
    const before = snapshots.personFields(person);
    const beforeVisibility = person.visibility;
    const columns: BatchWrites['personUpdates'][number]['columns'] = {};
    if (row.externalId && person.externalId !== row.externalId) columns.externalId = row.externalId;
    const names = mergeNames(person.names, row.person.names, prefer);
    const namesChanged = names !== null;
    if (names && names[0]!.value !== person.displayName) columns.displayName = names[0]!.value;
    const country = row.person.country;
    if (country && country !== person.country) columns.country = country;
    const birth = row.person.birthDate;
    if (birth && (birth.date !== person.birth?.date || birth.precision !== person.birth?.precision)) {
      columns.birth = birth;
    }
    const occupations = [...person.occupations, ...(row.person.occupations ?? [])].filter(
      (o, i, all) => all.indexOf(o) === i,
    );
    if (occupations.length !== person.occupations.length) columns.occupations = occupations;
    const visibility = row.person.visibility;
    if (visibility && visibility !== person.visibility) columns.visibility = visibility;
    const addSourceIds = sourceIds.filter((id) => !person.sourceIds.includes(id));
    if (Object.keys(columns).length === 0 && !namesChanged && addSourceIds.length === 0) return false;

    const expectedVersion = person.version;
    if (columns.externalId) {
      if (person.externalId) this.byExternalId.delete(person.externalId);
      this.byExternalId.set(columns.externalId, person);
      person.externalId = columns.externalId;
    }
    if (names) person.names = names;
    if (columns.displayName) person.displayName = columns.displayName;
    if (columns.country) person.country = columns.country;
    if (columns.birth) person.birth = columns.birth;
    if (columns.occupations) person.occupations = columns.occupations;
    if (columns.visibility) person.visibility = columns.visibility;
    person.sourceIds = [...person.sourceIds, ...addSourceIds];
    person.version += 1;
    writes.personUpdates.push({
      id: person.id,
      expectedVersion,
      columns,
      names: names ?? undefined,
      addSourceIds,
    });
    writes.audit.push({
      context,
      action: 'update',
      entityType: 'person',
      entityId: person.id,
      before,
      after: snapshots.personFields(person),
      visibility: [beforeVisibility, person.visibility],
      notify: !person.isNew,
    });
    this.report.updated.persons += 1;
    return true;
  }

  /**
   * Whether a custody event adds to the person's history: not when the history has the same
   * status from the same date already, nor when the current custody is that status (the row
   * repeats what is known; a second date for the same status is not a change of custody).
   */
  private custodyIsNew(person: PersonState, status: CustodyStatus, from: PartialDate): boolean {
    if (person.events.some((e) => e.status === status && e.from.date === from.date)) return false;
    return deriveCurrentCustody(person.events)?.status !== status;
  }

  private createCase(
    person: PersonState,
    row: ParsedRow,
    sourceIds: string[],
    eventId: string | null,
    writes: BatchWrites,
    context: WriteContext,
  ): CaseState {
    const dto = row.case!;
    const state: CaseState = {
      id: randomUUID(),
      isNew: true,
      title: dto.title,
      stage: dto.stage,
      court: dto.court ?? null,
      eventId,
      visibility: dto.visibility ?? DEFAULT_VISIBILITY,
      version: 1,
      charges: (dto.charges ?? []).map((c) => ({
        article: c.article ?? null,
        description: c.description,
        maxSentence: null,
      })),
      sourceIds,
      hearings: new Set(),
      clearance: this.options.actor.role === 'admin',
      fileRows: null,
    };
    person.cases.set(caseKey(state.title), state);
    const country = dto.country ?? null;
    writes.caseInserts.push({
      id: state.id,
      personId: person.id,
      title: state.title,
      country,
      court: state.court,
      stage: state.stage,
      eventId,
      visibility: state.visibility,
      charges: state.charges,
      sourceIds,
    });
    writes.audit.push({
      context,
      action: 'create',
      entityType: 'case',
      entityId: state.id,
      after: snapshots.caseCreated(state, country, person.id),
      visibility: [state.visibility],
      notify: false,
    });
    this.report.created.cases += 1;
    return state;
  }

  private updateCase(
    state: CaseState,
    row: ParsedRow,
    sourceIds: string[],
    eventId: string | null,
    writes: BatchWrites,
    context: WriteContext,
  ): boolean {
    const dto = row.case!;
    const before = snapshots.caseFields(state);
    const beforeVisibility = state.visibility;
    const columns: BatchWrites['caseUpdates'][number]['columns'] = {};
    if (dto.stage !== state.stage) columns.stage = dto.stage;
    if (dto.court && dto.court !== state.court) columns.court = dto.court;
    if (eventId && eventId !== state.eventId) columns.eventId = eventId;
    if (dto.visibility && dto.visibility !== state.visibility) columns.visibility = dto.visibility;
    const known = new Set(state.charges.map((c) => c.description.trim().toLocaleLowerCase()));
    const addCharges = (dto.charges ?? [])
      .filter((c) => !known.has(c.description.trim().toLocaleLowerCase()))
      .map((c, i) => ({
        article: c.article ?? null,
        description: c.description,
        maxSentence: null,
        position: state.charges.length + i,
      }));
    const addSourceIds = sourceIds.filter((id) => !state.sourceIds.includes(id));
    if (Object.keys(columns).length === 0 && addCharges.length === 0 && addSourceIds.length === 0) return false;
    const expectedVersion = state.version;
    if (columns.stage) state.stage = columns.stage;
    if (columns.court) state.court = columns.court;
    if (columns.eventId) state.eventId = columns.eventId;
    if (columns.visibility) state.visibility = columns.visibility;
    state.charges = [...state.charges, ...addCharges.map(({ position: _p, ...charge }) => charge)];
    state.sourceIds = [...state.sourceIds, ...addSourceIds];
    state.version += 1;
    writes.caseUpdates.push({ id: state.id, expectedVersion, columns, addCharges, addSourceIds });
    writes.audit.push({
      context,
      action: 'update',
      entityType: 'case',
      entityId: state.id,
      before,
      after: snapshots.caseFields(state),
      visibility: [beforeVisibility, state.visibility],
      // A case of this import joining a followed mass event: its hearings are planned for its followers.
      notify: !state.isNew || (columns.eventId !== undefined && this.followed(columns.eventId)),
    });
    this.report.updated.cases += 1;
    return true;
  }

  /** Whether an active subscription follows the mass event (one a row of the file names). */
  private followed(eventId: string | null): boolean {
    return eventId !== null && this.followedEvents.has(eventId);
  }

  /** The person a row that would create one probably duplicates, or null. */
  private duplicateOf(row: ParsedRow, candidates: Candidate[]): DuplicateReport | null {
    const name = row.person.names[0]!.value;
    const compatible = (year: number | null) => compatibleBirthYears(year, row.birthYear);
    const inFile = this.createdByKey.get(nameKey(name))?.find((c) => compatible(c.birthYear));
    if (inFile) {
      return { row: row.row, name, personId: null, matchedName: inFile.name, duplicateOfRow: inFile.row, score: 1 };
    }
    const match = candidates.find((c) => compatible(c.birthYear));
    if (!match) return null;
    return {
      row: row.row,
      name,
      personId: match.personId,
      matchedName: match.displayName,
      duplicateOfRow: null,
      score: match.score,
    };
  }

  private async personClearance(person: PersonState): Promise<boolean> {
    if (person.clearance === null) {
      person.clearance = await hasClearance(this.options.manager, this.options.actor, 'person', person.id);
    }
    return person.clearance;
  }

  private async caseClearance(state: CaseState): Promise<boolean> {
    if (state.clearance === null) {
      state.clearance = await hasClearance(this.options.manager, this.options.actor, 'case', state.id);
    }
    return state.clearance;
  }

  // ---- What a batch needs from the database ---------------------------------------------------

  /**
   * Loads the persons the rows name by external id or id and, of those the requester may see, their
   * names, custody and cases: only what the requester may see, filtered in the SQL as the API's reads
   * are (`personVisible`, `caseVisible`, `childVisible`). A restricted custody event, case or
   * hearing the requester may not see is not compared with (a row then adds what the API would let
   * them add), nor told of; a person they may not see is known only as taking an external id.
   */
  private async loadPersons(rows: ParsedRow[]): Promise<void> {
    const externalIds = [
      ...new Set(rows.flatMap((r) => (r.externalId && !this.byExternalId.has(r.externalId) ? [r.externalId] : []))),
    ];
    const ids = [
      ...new Set(
        rows.flatMap((r) => (r.personId && !this.byId.has(r.personId.toLowerCase()) ? [r.personId.toLowerCase()] : [])),
      ),
    ];
    if (externalIds.length === 0 && ids.length === 0) return;
    const { manager, actor, lock } = this.options;
    // With the named parameters of the visibility conditions (`:accessActorId`).
    const query = <T>(sql: string, parameters: Record<string, unknown>, condition: SqlCondition) => {
      const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, {
        ...parameters,
        ...condition.params,
      });
      return manager.query<T>(text, values);
    };
    const personCondition = personVisible(actor, 'p');
    const found = await query<PersonRow[]>(
      `SELECT p.id, p.external_id, p.display_name, p.country, p.birth_date, p.birth_precision, p.occupations,
              p.visibility, p.version, p.archived_at IS NOT NULL AS archived, ${personCondition.sql} AS visible
         FROM persons p WHERE p.external_id = ANY(CAST(:externalIds AS text[])) OR p.id = ANY(CAST(:ids AS uuid[]))
        ORDER BY p.id ${lock ? 'FOR NO KEY UPDATE OF p' : ''}`,
      { externalIds, ids },
      personCondition,
    );
    for (const externalId of externalIds) this.byExternalId.set(externalId, null);
    for (const id of ids) this.byId.set(id, null);
    if (found.length === 0) return;
    const personIds = found.filter((p) => p.visible).map((p) => p.id);
    const eventCondition = childVisible(actor, 'e', 'person', 'e.person_id');
    const caseCondition = caseVisible(actor, 'c');
    const [names, sources, events, cases] = [
      await manager.query<Array<NameRecord & { person_id: string }>>(
        `SELECT person_id, value, script, lang, preferred, note FROM person_names
          WHERE person_id = ANY($1::uuid[]) ORDER BY preferred DESC, position`,
        [personIds],
      ),
      await manager.query<Array<{ person_id: string; source_id: string }>>(
        'SELECT person_id, source_id FROM person_sources WHERE person_id = ANY($1::uuid[])',
        [personIds],
      ),
      await query<EventRow[]>(
        `SELECT e.person_id, e.status, e.from_date, e.from_precision, e.visibility, e.seq FROM custody_events e
          WHERE e.person_id = ANY(CAST(:personIds AS uuid[])) AND e.archived_at IS NULL AND ${eventCondition.sql}`,
        { personIds },
        eventCondition,
      ),
      await query<CaseRow[]>(
        `SELECT c.id, p.person_id, c.title, c.stage, c.court, c.event_id, c.visibility, c.version
           FROM cases c JOIN case_participants p ON p.case_id = c.id AND p.role = 'defendant'
          WHERE p.person_id = ANY(CAST(:personIds AS uuid[])) AND c.archived_at IS NULL AND ${caseCondition.sql}
          ORDER BY c.seq ${lock ? 'FOR NO KEY UPDATE OF c' : ''}`,
        { personIds },
        caseCondition,
      ),
    ];
    const caseIds = [...new Set(cases.map((c) => c.id))];
    const hearingCondition = childVisible(actor, 'h', 'case', 'h.case_id');
    const [charges, caseSources, hearings] = [
      await manager.query<
        Array<{ case_id: string; article: string | null; description: string; max_sentence: unknown }>
      >(
        `SELECT case_id, article, description, max_sentence FROM case_charges
          WHERE case_id = ANY($1::uuid[]) ORDER BY position`,
        [caseIds],
      ),
      await manager.query<Array<{ case_id: string; source_id: string }>>(
        'SELECT case_id, source_id FROM case_sources WHERE case_id = ANY($1::uuid[])',
        [caseIds],
      ),
      await query<Array<{ case_id: string; starts_at: Date }>>(
        `SELECT h.case_id, h.starts_at FROM hearings h
          WHERE h.case_id = ANY(CAST(:caseIds AS uuid[])) AND h.archived_at IS NULL AND ${hearingCondition.sql}`,
        { caseIds },
        hearingCondition,
      ),
    ];
    const isAdmin = actor.role === 'admin';
    const namesOf = groupBy(names, (n) => n.person_id);
    const sourcesOf = groupBy(sources, (s) => s.person_id);
    const eventsOf = groupBy(events, (e) => e.person_id);
    const casesOf = groupBy(cases, (c) => c.person_id);
    const chargesOf = groupBy(charges, (c) => c.case_id);
    const caseSourcesOf = groupBy(caseSources, (s) => s.case_id);
    const hearingsOf = groupBy(hearings, (h) => h.case_id);
    for (const p of found) {
      // Restricted material the requester sees is theirs by clearance; of the rest, asked when needed.
      const clearance = isAdmin ? true : p.visibility === 'restricted' ? p.visible : null;
      const personCases = new Map<string, CaseState>();
      const sharedTitles = new Set<string>();
      for (const c of casesOf.get(p.id) ?? []) {
        const key = caseKey(c.title);
        if (personCases.has(key)) {
          // Several cases with one title (the API allows it; so does an import by someone who
          // could not see the other): a row with that title cannot tell which one it means.
          sharedTitles.add(key);
          continue;
        }
        personCases.set(key, {
          id: c.id,
          isNew: false,
          title: c.title,
          stage: c.stage,
          court: c.court,
          eventId: c.event_id,
          visibility: c.visibility,
          version: c.version,
          charges: (chargesOf.get(c.id) ?? []).map((x) => ({
            article: x.article,
            description: x.description,
            maxSentence: intervalToTerm(x.max_sentence),
          })),
          sourceIds: (caseSourcesOf.get(c.id) ?? []).map((s) => s.source_id),
          hearings: new Set((hearingsOf.get(c.id) ?? []).map((h) => h.starts_at.getTime())),
          clearance: isAdmin || c.visibility === 'restricted' ? true : null,
          fileRows: null,
        });
      }
      const state: PersonState = {
        id: p.id,
        isNew: false,
        externalId: p.external_id,
        displayName: p.display_name,
        names: (namesOf.get(p.id) ?? []).map(({ value, script, lang, preferred, note }) => ({
          value,
          script,
          lang,
          preferred,
          note,
        })),
        country: p.country,
        birth: p.birth_date && p.birth_precision ? { date: p.birth_date, precision: p.birth_precision } : null,
        occupations: p.occupations,
        visibility: p.visibility,
        version: p.version,
        sourceIds: (sourcesOf.get(p.id) ?? []).map((s) => s.source_id),
        events: (eventsOf.get(p.id) ?? []).map((e) => ({
          status: e.status,
          from: { date: e.from_date, precision: e.from_precision },
          visibility: e.visibility,
          seq: BigInt(e.seq),
        })),
        cases: personCases,
        sharedTitles,
        archived: p.archived,
        visible: p.visible,
        clearance,
        fileRows: null,
      };
      if (p.external_id) this.byExternalId.set(p.external_id, state);
      this.byId.set(p.id, state);
    }
  }

  /** Resolves the `source` and `event` cells of the batch not resolved before. */
  private async resolveReferences(rows: ParsedRow[]): Promise<void> {
    const { manager, actor } = this.options;
    const sources = [...new Set(rows.flatMap((r) => (r.source && !this.sources.has(r.source) ? [r.source] : [])))];
    if (sources.length > 0) {
      const found = await manager.query<
        Array<{ id: string; external_id: string | null; url: string | null; visibility: Visibility }>
      >(
        `SELECT id, external_id, url, visibility FROM sources
          WHERE archived_at IS NULL AND (id = ANY($1::uuid[]) OR external_id = ANY($2::text[]) OR url = ANY($2::text[]))`,
        [sources.filter((s) => UUID.test(s)), sources],
      );
      // A restricted source is for admins only: to anyone else it does not exist.
      const citable = found.filter((s) => s.visibility !== 'restricted' || actor.role === 'admin');
      for (const ref of sources) {
        const byId = citable.find((s) => s.id === ref.toLowerCase());
        const byExternalId = citable.find((s) => s.external_id === ref);
        const byUrl = citable.filter((s) => s.url === ref);
        const match = byId ?? byExternalId ?? (byUrl.length === 1 ? byUrl[0] : undefined);
        this.sources.set(
          ref,
          match
            ? { id: match.id, problem: null }
            : {
                id: null,
                problem:
                  byUrl.length > 1
                    ? 'several sources have this URL: give the id of one'
                    : 'names no source (by id, external id or URL) you may cite',
              },
        );
      }
    }
    const events = [...new Set(rows.flatMap((r) => (r.event && !this.events.has(r.event) ? [r.event] : [])))];
    if (events.length > 0) {
      // With whether an active subscription (of an advocate not archived, as the reminder planner
      // reads them) follows the event: the hearings of its cases are planned for its followers.
      const found = await manager.query<
        Array<{ id: string; external_id: string | null; names: string[]; followed: boolean }>
      >(
        `SELECT e.id, e.external_id, e.names,
                EXISTS (SELECT 1 FROM subscriptions s JOIN advocates a ON a.id = s.advocate_id
                         WHERE s.event_id = e.id AND s.status = 'active' AND a.archived_at IS NULL) AS followed
           FROM events e
          WHERE e.archived_at IS NULL AND (e.id = ANY($1::uuid[]) OR e.external_id = ANY($2::text[])
            OR EXISTS (SELECT 1 FROM unnest(e.names) AS n(name) WHERE lower(n.name) = ANY($3::text[])))`,
        [events.filter((e) => UUID.test(e)), events, events.map((e) => e.toLocaleLowerCase())],
      );
      for (const e of found) if (e.followed) this.followedEvents.add(e.id);
      for (const ref of events) {
        const byId = found.find((e) => e.id === ref.toLowerCase());
        const byExternalId = found.find((e) => e.external_id === ref);
        const byName = found.filter((e) => e.names.some((n) => n.toLocaleLowerCase() === ref.toLocaleLowerCase()));
        const match = byId ?? byExternalId ?? (byName.length === 1 ? byName[0] : undefined);
        this.events.set(
          ref,
          match
            ? { id: match.id, problem: null }
            : {
                id: null,
                problem:
                  byName.length > 1
                    ? 'several mass events have this name: give the id of one'
                    : 'names no mass event (by id, external id or name)',
              },
        );
      }
    }
  }
}

/**
 * The columns in which the row gives a person or case another value than an earlier row of the
 * file gave it (the value the record has since), each with its problem.
 */
function disagreements<S extends { fileRows: FileRows | null }>(
  state: S,
  fields: Array<Field<S>>,
  row: ParsedRow,
  eventId: string | null,
  what: 'person' | 'case',
): Array<[ColumnName, string]> {
  if (state.fileRows === null) return [];
  return fields.flatMap(({ column, given, stored }): Array<[ColumnName, string]> => {
    const earlier = state.fileRows![column];
    const value = given(row, eventId);
    if (earlier === undefined || value === null || value === stored(state)) return [];
    return [
      [
        column,
        `differs from row ${earlier} about the same ${what}: the rows of a file about one ${what} must agree (or leave it empty)`,
      ],
    ];
  });
}

/** Records which fields a planned row gave a person or case, where no earlier row of the file did. */
function remember<S extends { fileRows: FileRows | null }>(
  state: S,
  fields: Array<Field<S>>,
  row: ParsedRow,
  eventId: string | null,
): void {
  state.fileRows ??= {};
  for (const { column, given } of fields) {
    if (state.fileRows[column] === undefined && given(row, eventId) !== null) state.fileRows[column] = row.row;
  }
}

/**
 * The person's names with the row's added: with `prefer`, the row's first name becomes the
 * preferred one; names already there (the same spelling ignoring case, in the same script or one
 * without a script) are not repeated. Null when nothing changes.
 */
export function mergeNames(
  current: readonly NameRecord[],
  given: ReadonlyArray<{ value: string; script?: string | null }>,
  prefer = true,
): NameRecord[] | null {
  const spelling = (value: string) => value.normalize('NFC').toLocaleLowerCase();
  const same = (n: NameRecord, value: string, script: string | null) =>
    spelling(n.value) === spelling(value) && (n.script === script || n.script === null || script === null);
  const merged = current.map((n) => ({ ...n }));
  let changed = false;
  given.forEach((g, i) => {
    const script = g.script ?? null;
    const preferred = prefer && i === 0;
    const existing = merged.find((n) => same(n, g.value, script));
    if (existing) {
      if (preferred && !existing.preferred) {
        merged.forEach((n) => (n.preferred = false));
        existing.preferred = true;
        changed = true;
      }
      return;
    }
    if (preferred) merged.forEach((n) => (n.preferred = false));
    merged.push({ value: g.value, script, lang: null, preferred, note: null });
    changed = true;
  });
  if (!changed) return null;
  // The preferred name first, the others in their order (as the API lists them).
  return [...merged.filter((n) => n.preferred), ...merged.filter((n) => !n.preferred)];
}

interface PersonRow {
  id: string;
  external_id: string | null;
  display_name: string;
  country: string | null;
  birth_date: string | null;
  birth_precision: PartialDate['precision'] | null;
  occupations: string[];
  visibility: Visibility;
  version: number;
  archived: boolean;
  visible: boolean;
}

interface EventRow {
  person_id: string;
  status: CustodyStatus;
  from_date: string;
  from_precision: PartialDate['precision'];
  visibility: Visibility;
  seq: string;
}

interface CaseRow {
  id: string;
  person_id: string;
  title: string;
  stage: CaseStage;
  court: string | null;
  event_id: string | null;
  visibility: Visibility;
  version: number;
}
