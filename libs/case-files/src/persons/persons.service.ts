import { DEFAULT_VISIBILITY, type Page } from '#common';
import {
  archiveRecord,
  assertRecordsExist,
  findActive,
  paginate,
  PartialDateColumns,
  recordMeta,
  replaceRelationIds,
  restoreRecord,
  updateVersioned,
  findIdByExternalId,
} from '#database';
import { OrganizationEntity, SourceEntity } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseParticipantEntity } from '../cases/case.entity.js';
import { CasesService } from '../cases/cases.service.js';
import { CustodyEventEntity } from '../custody/custody-event.entity.js';
import { custodyEventView, CustodyService } from '../custody/custody.service.js';
import { deriveCurrentCustody } from '../custody/custody.js';
import { preferredNameIndex } from './names.js';
import type { CreatePersonDto, ListPersonsQueryDto, PersonNameDto, UpdatePersonDto } from './person.dto.js';
import { DesignationEntity, PersonEntity, PersonNameEntity } from './person.entity.js';
import type {
  CurrentCustodyView,
  PersonCaseFileView,
  PersonCaseView,
  PersonNameView,
  PersonSummaryView,
} from './person.views.js';

function nameView(n: PersonNameEntity): PersonNameView {
  return { id: n.id, value: n.value, script: n.script, lang: n.lang, preferred: n.preferred, note: n.note };
}

function currentCustodyView(events: CustodyEventEntity[]): CurrentCustodyView | null {
  const latest = deriveCurrentCustody(events.map((e) => ({ ...custodyEventView(e), seq: e.seq })));
  if (!latest) return null;
  return {
    status: latest.status,
    since: latest.from,
    place: latest.place,
    facility: latest.facility,
    eventId: latest.id,
  };
}

/** People in the case files, with their names, designations and the full case file view. */
@Injectable()
export class PersonsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly custody: CustodyService,
    private readonly cases: CasesService,
  ) {}

  async create(dto: CreatePersonDto): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      const preferred = preferredNameIndex(dto.names);
      await this.checkReferences(manager, dto);
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
        }),
      );
      await this.writeChildren(manager, saved.id, dto, preferred);
      return this.caseFile(manager, saved.id);
    });
  }

  async get(id: string): Promise<PersonCaseFileView> {
    return this.caseFile(this.dataSource.manager, id);
  }

  async list(query: ListPersonsQueryDto): Promise<Page<PersonSummaryView>> {
    const manager = this.dataSource.manager;
    const qb = manager.createQueryBuilder(PersonEntity, 'person').where('person.archivedAt IS NULL');
    if (query.country) qb.andWhere('person.country = :country', { country: query.country });
    if (query.visibility) qb.andWhere('person.visibility = :visibility', { visibility: query.visibility });
    const page = await paginate(qb, [{ column: 'person.seq', read: (p) => p.seq, cast: 'bigint' }], query);
    const ids = page.items.map((p) => p.id);
    const names = await this.loadNames(manager, ids);
    const events = await this.custody.load(manager, { personIds: ids });
    return {
      items: page.items.map((p) => this.summary(p, names, events)),
      nextCursor: page.nextCursor,
    };
  }

  async update(id: string, dto: UpdatePersonDto, expectedVersion?: number): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      await findActive(manager, PersonEntity, id, { lock: true });
      const preferred = dto.names ? preferredNameIndex(dto.names) : undefined;
      await this.checkReferences(manager, dto);
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
        },
        expectedVersion,
      );
      await this.writeChildren(manager, id, dto, preferred);
      return this.caseFile(manager, id);
    });
  }

  async archive(id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction((manager) => archiveRecord(manager, PersonEntity, id, expectedVersion));
  }

  async restore(id: string): Promise<PersonCaseFileView> {
    return this.dataSource.transaction(async (manager) => {
      await restoreRecord(manager, PersonEntity, id);
      return this.caseFile(manager, id);
    });
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, PersonEntity, externalId);
  }

  /** The whole case file: names, custody history and current custody, cases with charges and next hearing. */
  private async caseFile(manager: EntityManager, id: string): Promise<PersonCaseFileView> {
    const person = await findActive(manager, PersonEntity, id);
    // One connection serves a transaction, so these run one after another.
    const names = await this.loadNames(manager, [id]);
    const events = await this.custody.load(manager, { personIds: [id] });
    const designations = await manager
      .createQueryBuilder(DesignationEntity, 'd')
      .leftJoinAndSelect('d.organization', 'organization')
      .where('d.personId = :id', { id })
      .orderBy('d.position')
      .getMany();
    const participations = await manager
      .createQueryBuilder(CaseParticipantEntity, 'p')
      .innerJoin('p.case', 'case', 'case.archivedAt IS NULL')
      .where('p.personId = :id', { id })
      .orderBy('p.position')
      .getMany();
    const caseIds = [...new Set(participations.map((p) => p.caseId))];
    const cases: PersonCaseView[] = (await this.cases.load(manager, caseIds)).map((c) => ({
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
      sourceIds: person.sourceIds ?? [],
      custodyHistory: events.map(custodyEventView),
      cases,
    };
  }

  private summary(person: PersonEntity, names: PersonNameEntity[], events: CustodyEventEntity[]): PersonSummaryView {
    return {
      ...recordMeta(person),
      externalId: person.externalId,
      displayName: person.displayName,
      names: names.filter((n) => n.personId === person.id).map(nameView),
      country: person.country,
      occupations: person.occupations,
      visibility: person.visibility,
      currentCustody: currentCustodyView(events.filter((e) => e.personId === person.id)),
    };
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

  private async checkReferences(manager: EntityManager, dto: Partial<CreatePersonDto>): Promise<void> {
    const orgs = (dto.designations ?? []).flatMap((d, i) => (d.organizationId ? [{ id: d.organizationId, i }] : []));
    await assertRecordsExist(manager, [
      { target: SourceEntity, ids: dto.sourceIds ?? [], field: 'sourceIds' },
      {
        target: OrganizationEntity,
        ids: orgs.map((o) => o.id),
        field: (k) => `designations[${orgs[k]!.i}].organizationId`,
      },
    ]);
  }

  private async writeChildren(
    manager: EntityManager,
    personId: string,
    dto: Partial<CreatePersonDto>,
    preferred: number | undefined,
  ): Promise<void> {
    if (dto.names && preferred !== undefined) {
      await manager.delete(PersonNameEntity, { personId });
      await manager.insert(
        PersonNameEntity,
        dto.names.map((n: PersonNameDto, position) => ({
          personId,
          value: n.value.trim(),
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
    if (dto.sourceIds !== undefined)
      await replaceRelationIds(manager, PersonEntity, 'sources', personId, dto.sourceIds);
  }
}
