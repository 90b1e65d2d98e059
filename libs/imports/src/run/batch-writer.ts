import { AuditTrail } from '#audit';
import {
  CaseEntity,
  currentStatuses,
  defendantsOf,
  nameKey,
  PersonEntity,
  PersonNameEntity,
  refreshCurrentStatus,
  refreshDefendantStages,
} from '#case-files';
import { PartialDateColumns, updateVersioned } from '#database';
import type { EntityManager } from 'typeorm';
import type { BatchWrites } from './batch-writes.js';
import type { ChargeRecord, NameRecord } from './import-state.js';

/**
 * Writes what a batch of rows planned, in the import's transaction, with one statement per kind
 * of record however many rows: multi-row inserts with one array parameter per column (`unnest`),
 * in dependency order (persons, names, citations, custody events, cases, participants, charges,
 * hearings), the updates of known persons and cases (guarded by their version, as the API's are),
 * the stored current custody status of known persons whose history changed, the stored stages
 * of the defendants of the cases written (`refreshDefendantStages`), and last the audit entries,
 * staged in bulk (`AuditTrail.stage`). Names get their search key (`nameKey`) and new
 * persons their current status (`currentStatuses`) as the case-file services would write them.
 */
export class BatchWriter {
  constructor(private readonly audit: AuditTrail) {}

  async write(manager: EntityManager, writes: BatchWrites): Promise<void> {
    await this.insertPersons(manager, writes);
    await this.updatePersons(manager, writes);
    await this.insertCustody(manager, writes);
    for (const personId of writes.statusRefresh) await refreshCurrentStatus(manager, personId);
    await this.insertCases(manager, writes);
    await this.updateCases(manager, writes);
    const writtenCases = [...writes.caseInserts, ...writes.caseUpdates].map((c) => c.id);
    await refreshDefendantStages(manager, await defendantsOf(manager, writtenCases));
    const hearings = writes.hearingInserts;
    await insertColumns(manager, 'hearings', [
      column(
        'id',
        'uuid',
        hearings.map((h) => h.id),
      ),
      column(
        'case_id',
        'uuid',
        hearings.map((h) => h.caseId),
      ),
      column(
        'starts_at',
        'timestamptz',
        hearings.map((h) => h.startsAt),
      ),
      column(
        'time_zone',
        'text',
        hearings.map((h) => h.timeZone),
      ),
      column(
        'court',
        'text',
        hearings.map((h) => h.court),
      ),
      column(
        'visibility',
        'text',
        hearings.map((h) => h.visibility),
      ),
    ]);
    await this.audit.stage(manager, writes.audit);
  }

  private async insertPersons(manager: EntityManager, writes: BatchWrites): Promise<void> {
    const persons = writes.personInserts;
    // Every custody event of a person created in this batch is inserted in this batch too.
    const statuses = persons.map((p) => currentStatuses(p.state.events));
    await insertColumns(manager, 'persons', [
      column(
        'id',
        'uuid',
        persons.map((p) => p.id),
      ),
      column(
        'external_id',
        'text',
        persons.map((p) => p.externalId),
      ),
      column(
        'display_name',
        'text',
        persons.map((p) => p.displayName),
      ),
      column(
        'country',
        'text',
        persons.map((p) => p.country),
      ),
      column(
        'birth_date',
        'text',
        persons.map((p) => p.birth?.date ?? null),
      ),
      column(
        'birth_precision',
        'text',
        persons.map((p) => p.birth?.precision ?? null),
      ),
      column(
        'birth_sort',
        'date',
        persons.map((p) => PartialDateColumns.from(p.birth).sort),
      ),
      column(
        'occupations',
        'text',
        persons.map((p) => textArrayLiteral(p.occupations)),
        'text[]',
      ),
      column(
        'visibility',
        'text',
        persons.map((p) => p.visibility),
      ),
      column(
        'current_status_all',
        'text',
        statuses.map((x) => x.all),
      ),
      column(
        'current_status_unrestricted',
        'text',
        statuses.map((x) => x.unrestricted),
      ),
      column(
        'current_status_public',
        'text',
        statuses.map((x) => x.public),
      ),
    ]);
    await insertNames(
      manager,
      persons.map((p) => ({ personId: p.id, names: p.names })),
    );
    await linkSources(
      manager,
      'person_sources',
      'person_id',
      persons.flatMap((p) => p.sourceIds.map((sourceId) => [p.id, sourceId] as const)),
    );
  }

  private async updatePersons(manager: EntityManager, writes: BatchWrites): Promise<void> {
    for (const update of writes.personUpdates) {
      const { birth, ...columns } = update.columns;
      await updateVersioned(
        manager,
        PersonEntity,
        update.id,
        { ...columns, ...(birth ? { birth: PartialDateColumns.from(birth) } : {}) },
        update.expectedVersion,
      );
      if (update.names) {
        await manager.delete(PersonNameEntity, { personId: update.id });
        await insertNames(manager, [{ personId: update.id, names: update.names }]);
      }
      await linkSources(
        manager,
        'person_sources',
        'person_id',
        update.addSourceIds.map((sourceId) => [update.id, sourceId] as const),
      );
    }
  }

  private async insertCustody(manager: EntityManager, writes: BatchWrites): Promise<void> {
    const events = writes.custodyInserts;
    await insertColumns(manager, 'custody_events', [
      column(
        'id',
        'uuid',
        events.map((e) => e.id),
      ),
      column(
        'person_id',
        'uuid',
        events.map((e) => e.personId),
      ),
      column(
        'status',
        'text',
        events.map((e) => e.status),
      ),
      column(
        'from_date',
        'text',
        events.map((e) => e.from.date),
      ),
      column(
        'from_precision',
        'text',
        events.map((e) => e.from.precision),
      ),
      column(
        'from_sort',
        'date',
        events.map((e) => PartialDateColumns.from(e.from).sort),
      ),
      column(
        'place',
        'text',
        events.map((e) => e.place),
      ),
      column(
        'facility',
        'text',
        events.map((e) => e.facility),
      ),
      column(
        'visibility',
        'text',
        events.map((e) => e.visibility),
      ),
    ]);
    await linkSources(
      manager,
      'custody_event_sources',
      'custody_event_id',
      events.flatMap((e) => e.sourceIds.map((sourceId) => [e.id, sourceId] as const)),
    );
  }

  private async insertCases(manager: EntityManager, writes: BatchWrites): Promise<void> {
    const cases = writes.caseInserts;
    await insertColumns(manager, 'cases', [
      column(
        'id',
        'uuid',
        cases.map((c) => c.id),
      ),
      column(
        'title',
        'text',
        cases.map((c) => c.title),
      ),
      column(
        'country',
        'text',
        cases.map((c) => c.country),
      ),
      column(
        'court',
        'text',
        cases.map((c) => c.court),
      ),
      column(
        'stage',
        'text',
        cases.map((c) => c.stage),
      ),
      column(
        'event_id',
        'uuid',
        cases.map((c) => c.eventId),
      ),
      column(
        'visibility',
        'text',
        cases.map((c) => c.visibility),
      ),
    ]);
    await insertColumns(manager, 'case_participants', [
      column(
        'case_id',
        'uuid',
        cases.map((c) => c.id),
      ),
      column(
        'person_id',
        'uuid',
        cases.map((c) => c.personId),
      ),
      column(
        'role',
        'text',
        cases.map(() => 'defendant'),
      ),
      column(
        'position',
        'integer',
        cases.map(() => 0),
      ),
    ]);
    await insertCharges(
      manager,
      cases.flatMap((c) => c.charges.map((charge, position) => ({ caseId: c.id, ...charge, position }))),
    );
    await linkSources(
      manager,
      'case_sources',
      'case_id',
      cases.flatMap((c) => c.sourceIds.map((sourceId) => [c.id, sourceId] as const)),
    );
  }

  private async updateCases(manager: EntityManager, writes: BatchWrites): Promise<void> {
    for (const update of writes.caseUpdates) {
      await updateVersioned(manager, CaseEntity, update.id, update.columns, update.expectedVersion);
      await insertCharges(
        manager,
        update.addCharges.map((charge) => ({ caseId: update.id, ...charge })),
      );
      await linkSources(
        manager,
        'case_sources',
        'case_id',
        update.addSourceIds.map((sourceId) => [update.id, sourceId] as const),
      );
    }
  }
}

async function insertNames(
  manager: EntityManager,
  persons: ReadonlyArray<{ personId: string; names: readonly NameRecord[] }>,
): Promise<void> {
  const rows = persons.flatMap(({ personId, names }) => names.map((name, position) => ({ personId, name, position })));
  await insertColumns(manager, 'person_names', [
    column(
      'person_id',
      'uuid',
      rows.map((r) => r.personId),
    ),
    column(
      'value',
      'text',
      rows.map((r) => r.name.value),
    ),
    // The search key, as `PersonsService` writes it with every name.
    column(
      'search_key',
      'text',
      rows.map((r) => nameKey(r.name.value)),
    ),
    column(
      'script',
      'text',
      rows.map((r) => r.name.script),
    ),
    column(
      'lang',
      'text',
      rows.map((r) => r.name.lang),
    ),
    column(
      'preferred',
      'boolean',
      rows.map((r) => r.name.preferred),
    ),
    column(
      'note',
      'text',
      rows.map((r) => r.name.note),
    ),
    column(
      'position',
      'integer',
      rows.map((r) => r.position),
    ),
  ]);
}

async function insertCharges(
  manager: EntityManager,
  charges: ReadonlyArray<ChargeRecord & { caseId: string; position: number }>,
): Promise<void> {
  await insertColumns(manager, 'case_charges', [
    column(
      'case_id',
      'uuid',
      charges.map((c) => c.caseId),
    ),
    column(
      'article',
      'text',
      charges.map((c) => c.article),
    ),
    column(
      'description',
      'text',
      charges.map((c) => c.description),
    ),
    column(
      'position',
      'integer',
      charges.map((c) => c.position),
    ),
  ]);
}

/** One column of a bulk insert: its values, sent as one array parameter of `type`, stored as `cast`. */
interface Column {
  name: string;
  type: string;
  values: unknown[];
  cast?: string;
}

function column(name: string, type: string, values: unknown[], cast?: string): Column {
  return { name, type, values, cast };
}

/**
 * A multi-row insert with one array parameter per column (`unnest`), in the order of the arrays:
 * one statement for any number of rows, far cheaper to send and to plan than a VALUES list with
 * a parameter per cell. Columns left out take their defaults (ids, `seq`, timestamps, version).
 */
async function insertColumns(manager: EntityManager, table: string, columns: Column[]): Promise<void> {
  const rows = columns[0]?.values.length ?? 0;
  if (rows === 0) return;
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const selected = columns.map((c, i) => (c.cast ? `u.c${i}::${c.cast}` : `u.c${i}`)).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  await manager.query(
    `INSERT INTO "${table}" (${names})
     SELECT ${selected} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases}, n) ORDER BY u.n`,
    columns.map((c) => c.values),
  );
}

/** A PostgreSQL array literal of `values` (for text[] columns sent through `unnest`). */
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Rows of a citation table (`person_sources`...), each pair once. */
async function linkSources(
  manager: EntityManager,
  table: 'person_sources' | 'custody_event_sources' | 'case_sources',
  ownerColumn: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  if (pairs.length === 0) return;
  await manager.query(
    `INSERT INTO ${table} (${ownerColumn}, source_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
    [pairs.map(([owner]) => owner), pairs.map(([, source]) => source)],
  );
}
