import { hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot, withoutHiddenReferences } from '#audit';
import { type Actor, DEFAULT_VISIBILITY, groupBy, InvalidInputError, type Page, type WriteContext } from '#common';
import {
  archiveRecord,
  missingRecords,
  findIdByExternalId,
  loadRelationIds,
  loadRelationIdsOf,
  paginate,
  PartialDateColumns,
  recordMeta,
  restoreRecord,
  updateVersioned,
} from '#database';
import { Keyring } from '#encryption';
import { OrganizationEntity, SourcesService } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseParticipantEntity } from '../cases/case.entity.js';
import { CasesService } from '../cases/cases.service.js';
import { CustodyEventEntity } from '../custody/custody-event.entity.js';
import { custodyEventView, CustodyService } from '../custody/custody.service.js';
import { deriveCurrentCustody } from '../custody/custody.js';
import { assertMayWriteRestricted, caseVisible, findVisible, personVisible } from '../visibility.js';
import { nameKey } from './name-key.js';
import { preferredNameIndex } from './names.js';
import { facetCounts, type PersonFacetsView } from './person-facets.js';
import { applyPersonFilters } from './person-filter.js';
import { applyNameSearch, parseNameQuery } from './person-search.js';
import type { CreatePersonDto, ListPersonsQueryDto, PersonNameDto, UpdatePersonDto } from './person.dto.js';
import { DesignationEntity, PersonEntity, PersonNameEntity } from './person.entity.js';
import type {
  CurrentCustodyView,
  PersonCaseFileView,
  PersonCaseView,
  PersonNameView,
  PersonSummaryView,
} from './person.views.js';

/** Associated data of the encrypted contact details (binds the ciphertext to this field). */
const CONTACT_FIELD = 'person.contactDetails';

function nameView(n: PersonNameEntity): PersonNameView {
  return { id: n.id, value: n.value, script: n.script, lang: n.lang, preferred: n.preferred, note: n.note };
}

function currentCustodyView(events: CustodyEventEntity[]): CurrentCustodyView | null {
  const latest = deriveCurrentCustody(
    events.map((e) => ({ event: e, status: e.status, from: PartialDateColumns.toPartialDate(e.from)!, seq: e.seq })),
  );
  if (!latest) return null;
  return {
    status: latest.status,
    since: latest.from,
    place: latest.event.place,
    facility: latest.event.facility,
    eventId: latest.event.id,
  };
}

/**
 * People in the case files, with their names, designations and the full case file view. Every
 * read is limited to what the reader may see; every write is audited in its transaction.
 */
@Injectable()
export class PersonsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly custody: CustodyService,
    private readonly cases: CasesService,
    private readonly sources: SourcesService,
    private readonly audit: AuditTrail,
    private readonly keyring: Keyring,
  ) {}

  async create(dto: CreatePersonDto, context: WriteContext): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      const preferred = preferredNameIndex(dto.names);
      await assertMayWriteRestricted(manager, context.actor, 'person', null, this.restrictedWrites(dto));
      await this.checkReferences(manager, dto, context.actor);
      const repo = manager.getRepository(PersonEntity);
      const saved = await repo.save(
        repo.create({
          externalId: dto.externalId ?? null,
          displayName: dto.names[preferred]!.value.trim(),
          country: dto.country ?? null,
          birth: PartialDateColumns.from(dto.birthDate),
          occupations: dto.occupations ?? [],
          notes: dto.notes ?? null,
          visibility: dto.visibility ?? DEFAULT_VISIBILITY,
          contactDetails: this.keyring.encryptNullable(dto.contactDetails, CONTACT_FIELD) ?? null,
        }),
      );
      await this.writeChildren(manager, saved.id, dto, preferred, context.actor);
      await this.record(manager, context, 'create', saved.id, null);
      return this.caseFile(manager, saved.id, context.actor);
    });
  }

  async get(id: string, reader: Actor): Promise<PersonCaseFileView> {
    return this.caseFile(this.dataSource.manager, id, reader);
  }

  async list(
    query: ListPersonsQueryDto,
    reader: Actor,
  ): Promise<Page<PersonSummaryView> & { facets?: PersonFacetsView }> {
    const manager = this.dataSource.manager;
    const qb = applyPersonFilters(manager.createQueryBuilder(PersonEntity, 'person'), query, reader);
    const q = parseNameQuery(query.q);
    const search = q ? await applyNameSearch(qb, q, query) : undefined;
    // Every condition of the list must be on `qb` by now: the facets count what it selects. They
    // clone it at once, before the page's cursor is added, and run alongside the page.
    const counting = query.facets ? facetCounts(qb, reader, manager) : undefined;
    const [page, facets] = await Promise.all([
      search ? search.page() : paginate(qb, [{ column: 'person.seq', read: (p) => p.seq, cast: 'bigint' }], query),
      counting,
    ]);
    const ids = page.items.map((p) => p.id);
    const names = await this.loadNames(manager, ids);
    const events = await this.custody.load(manager, { personIds: ids }, reader);
    const namesOf = groupBy(names, (n) => n.personId);
    const eventsOf = groupBy(events, (e) => e.personId);
    return {
      items: page.items.map((p) => this.summary(p, namesOf.get(p.id) ?? [], eventsOf.get(p.id) ?? [])),
      nextCursor: page.nextCursor,
      ...(facets ? { facets } : {}),
    };
  }

  async update(id: string, dto: UpdatePersonDto, version: number, context: WriteContext): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(manager, id, context.actor, { lock: true });
      const preferred = dto.names ? preferredNameIndex(dto.names) : undefined;
      await assertMayWriteRestricted(manager, context.actor, 'person', id, this.restrictedWrites(dto));
      await this.checkReferences(manager, dto, context.actor);
      const before = await this.snapshot(manager, id);
      await updateVersioned(
        manager,
        PersonEntity,
        id,
        {
          externalId: dto.externalId,
          displayName: dto.names && preferred !== undefined ? dto.names[preferred]!.value.trim() : undefined,
          country: dto.country,
          birth: dto.birthDate === undefined ? undefined : PartialDateColumns.from(dto.birthDate),
          occupations: dto.occupations,
          notes: dto.notes,
          visibility: dto.visibility,
          contactDetails: this.contactDetailsChange(current, dto.contactDetails),
        },
        version,
      );
      await this.writeChildren(manager, id, dto, preferred, context.actor);
      await this.record(manager, context, 'update', id, before);
      return this.caseFile(manager, id, context.actor);
    });
  }

  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.findVisible(manager, id, context.actor, { lock: true });
      const before = await this.snapshot(manager, id);
      await archiveRecord(manager, PersonEntity, id, version);
      await this.record(manager, context, 'archive', id, before);
    });
  }

  async restore(id: string, context: WriteContext): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(manager, id, context.actor, { lock: true, state: 'any' });
      if (current.archivedAt) {
        const before = await this.snapshot(manager, id);
        await restoreRecord(manager, PersonEntity, id);
        await this.record(manager, context, 'restore', id, before);
      }
      return this.caseFile(manager, id, context.actor);
    });
  }

  /** Who changed this person's file, when and why; contact details only for readers with clearance. */
  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    await this.findVisible(manager, id, reader, { state: 'any' });
    const history = await this.audit.history('person', id, page, {
      clearance: await hasClearance(manager, reader, 'person', id),
      encryptedFields: ['contactDetails'],
      restrictedFields: ['contactDetails'],
    });
    return withoutHiddenReferences(history, { sourceIds: (ids) => this.sources.visibleIds(manager, reader, ids) });
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, PersonEntity, externalId);
  }

  /** The whole case file as `reader` may see it: names, custody, cases with charges and next hearing. */
  private async caseFile(manager: EntityManager, id: string, reader: Actor): Promise<PersonCaseFileView> {
    const person = await this.findVisible(manager, id, reader);
    const clearance = await hasClearance(manager, reader, 'person', id);
    // One connection serves a transaction, so these run one after another.
    const names = await this.loadNames(manager, [id]);
    const events = await this.custody.load(manager, { personIds: [id] }, reader);
    const designations = await manager
      .createQueryBuilder(DesignationEntity, 'd')
      .leftJoinAndSelect('d.organization', 'organization')
      .where('d.personId = :id', { id })
      .orderBy('d.position')
      .getMany();
    const visible = caseVisible(reader);
    const participations = await manager
      .createQueryBuilder(CaseParticipantEntity, 'p')
      .innerJoin('p.case', 'case', `case.archivedAt IS NULL AND ${visible.sql}`, visible.params)
      .where('p.personId = :id', { id })
      .orderBy('p.position')
      .getMany();
    const caseIds = [...new Set(participations.map((p) => p.caseId))];
    const [personSourcesById, eventSources] = await loadRelationIdsOf(manager, [
      { target: PersonEntity, relation: 'sources', ownerIds: [person.id] },
      { target: CustodyEventEntity, relation: 'sources', ownerIds: events.map((e) => e.id) },
    ]);
    const personSources = personSourcesById.get(person.id)!;
    const sourceIds = [...new Set([...personSources, ...[...eventSources.values()].flat()])];
    const visibleSources = new Set(await this.sources.visibleIds(manager, reader, sourceIds));
    const shown = (cited: string[]) => cited.filter((sourceId) => visibleSources.has(sourceId));
    const cases: PersonCaseView[] = (await this.cases.loadBriefs(manager, caseIds, reader)).map((c) => ({
      id: c.id,
      title: c.title,
      stage: c.stage,
      roles: participations.filter((p) => p.caseId === c.id).map((p) => p.role),
      charges: c.charges,
      nextHearing: c.nextHearing,
    }));
    return {
      ...this.summary(person, names, events),
      birthDate: PartialDateColumns.toPartialDate(person.birth),
      designations: designations.map((d) => ({
        designation: d.designation,
        organizationId: d.organizationId,
        organizationName: d.organization?.names[0] ?? null,
        since: PartialDateColumns.toPartialDate(d.since),
        note: d.note,
      })),
      notes: person.notes,
      contactDetails: clearance ? this.keyring.decryptNullable(person.contactDetails, CONTACT_FIELD) : null,
      restrictedAccess: clearance,
      sourceIds: shown(personSources),
      // Restricted sources are left out of the events' sources too (as in GET /custody-events/:id).
      custodyHistory: events.map((e) => custodyEventView(e, shown(eventSources.get(e.id)!))),
      cases,
    };
  }

  /** A person's summary, from their names and custody events (in order). */
  private summary(person: PersonEntity, names: PersonNameEntity[], events: CustodyEventEntity[]): PersonSummaryView {
    return recordMeta(person, {
      externalId: person.externalId,
      displayName: person.displayName,
      names: names.map(nameView),
      country: person.country,
      occupations: person.occupations,
      visibility: person.visibility,
      currentCustody: currentCustodyView(events),
    });
  }

  private findVisible(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<PersonEntity> {
    return findVisible(manager, PersonEntity, 'person', id, [personVisible(reader)], options);
  }

  /** What a write would put out of reach of readers without clearance. */
  private restrictedWrites(dto: Partial<CreatePersonDto>) {
    return { visibility: dto.visibility, fields: dto.contactDetails !== undefined ? ['contactDetails'] : [] };
  }

  /** New ciphertext only when the plaintext changes, so an unchanged value is not a change. */
  private contactDetailsChange(current: PersonEntity, next: string | null | undefined): string | null | undefined {
    if (next === undefined) return undefined;
    if (next === this.keyring.decryptNullable(current.contactDetails, CONTACT_FIELD)) return undefined;
    return this.keyring.encryptNullable(next, CONTACT_FIELD);
  }

  /** What the audit trail keeps of a person (contact details as stored: encrypted). */
  private async snapshot(
    manager: EntityManager,
    id: string,
  ): Promise<Snapshot & { visibility: PersonEntity['visibility'] }> {
    const person = await manager.findOneOrFail(PersonEntity, { where: { id } });
    const names = await this.loadNames(manager, [id]);
    const designations = await manager.find(DesignationEntity, { where: { personId: id }, order: { position: 'ASC' } });
    const sourceIds = (await loadRelationIds(manager, PersonEntity, 'sources', [id])).get(id)!;
    return {
      externalId: person.externalId,
      names: names.map(({ value, script, lang, preferred, note }) => ({ value, script, lang, preferred, note })),
      country: person.country,
      birthDate: PartialDateColumns.toPartialDate(person.birth),
      occupations: person.occupations,
      designations: designations.map((d) => ({
        designation: d.designation,
        organizationId: d.organizationId,
        since: PartialDateColumns.toPartialDate(d.since),
        note: d.note,
      })),
      notes: person.notes,
      contactDetails: person.contactDetails,
      visibility: person.visibility,
      sourceIds,
      archivedAt: person.archivedAt?.toISOString() ?? null,
    };
  }

  private async record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    id: string,
    before: Awaited<ReturnType<PersonsService['snapshot']>> | null,
  ): Promise<void> {
    const after = await this.snapshot(manager, id);
    await this.audit.record(manager, context, {
      action,
      entityType: 'person',
      entityId: id,
      before,
      after,
      visibility: [before?.visibility, after.visibility],
    });
  }

  private async loadNames(manager: EntityManager, personIds: string[]): Promise<PersonNameEntity[]> {
    if (personIds.length === 0) return [];
    return manager
      .createQueryBuilder(PersonNameEntity, 'name')
      .where('name.personId IN (:...personIds)', { personIds })
      .orderBy('name.preferred', 'DESC')
      .addOrderBy('name.position')
      .getMany();
  }

  private async checkReferences(manager: EntityManager, dto: Partial<CreatePersonDto>, actor: Actor): Promise<void> {
    const orgs = (dto.designations ?? []).flatMap((d, i) => (d.organizationId ? [{ id: d.organizationId, i }] : []));
    const errors = [
      ...(await this.sources.citationProblems(manager, actor, dto.sourceIds ?? [])),
      ...(await missingRecords(manager, [
        {
          target: OrganizationEntity,
          ids: orgs.map((o) => o.id),
          field: (k) => `designations[${orgs[k]!.i}].organizationId`,
        },
      ])),
    ];
    if (errors.length > 0) throw new InvalidInputError(errors);
  }

  private async writeChildren(
    manager: EntityManager,
    personId: string,
    dto: Partial<CreatePersonDto>,
    preferred: number | undefined,
    actor: Actor,
  ): Promise<void> {
    if (dto.names && preferred !== undefined) {
      await manager.delete(PersonNameEntity, { personId });
      await manager.insert(
        PersonNameEntity,
        dto.names.map((n: PersonNameDto, position) => ({
          personId,
          value: n.value.trim(),
          searchKey: nameKey(n.value.trim()),
          script: n.script ?? null,
          lang: n.lang ?? null,
          preferred: position === preferred,
          note: n.note ?? null,
          position,
        })),
      );
    }
    if (dto.designations !== undefined) {
      await manager.delete(DesignationEntity, { personId });
      if (dto.designations.length > 0) {
        await manager.insert(
          DesignationEntity,
          dto.designations.map((d, position) => ({
            personId,
            designation: d.designation,
            organizationId: d.organizationId ?? null,
            since: PartialDateColumns.from(d.since),
            note: d.note ?? null,
            position,
          })),
        );
      }
    }
    if (dto.sourceIds !== undefined) {
      await this.sources.replaceCitations(manager, PersonEntity, personId, dto.sourceIds, actor);
    }
  }
}
