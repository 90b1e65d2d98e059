import { DEFAULT_VISIBILITY, InvalidInputError, type Page } from '#common';
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
import { EventEntity, SourceEntity } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import { hearingView, HearingsService } from '../hearings/hearings.service.js';
import { PersonEntity } from '../persons/person.entity.js';
import { intervalToTerm, termToInterval } from './case.js';
import type { CreateCaseDto, ListCasesQueryDto, UpdateCaseDto } from './case.dto.js';
import { CaseEntity, CaseParticipantEntity, ChargeEntity } from './case.entity.js';
import type { CaseView, ChargeView } from './case.view.js';

/** Proceedings with their participants, charges and outcome. */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hearings: HearingsService,
  ) {}

  async create(dto: CreateCaseDto): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkReferences(manager, dto);
      const repo = manager.getRepository(CaseEntity);
      const saved = await repo.save(
        repo.create({ ...this.columns(dto), visibility: dto.visibility ?? DEFAULT_VISIBILITY }),
      );
      await this.writeChildren(manager, saved.id, dto);
      return (await this.load(manager, [saved.id]))[0]!;
    });
  }

  async get(id: string): Promise<CaseView> {
    await findActive(this.dataSource.manager, CaseEntity, id);
    return (await this.load(this.dataSource.manager, [id]))[0]!;
  }

  async list(query: ListCasesQueryDto): Promise<Page<CaseView>> {
    const qb = this.dataSource.manager.createQueryBuilder(CaseEntity, 'case').where('case.archivedAt IS NULL');
    if (query.stage) qb.andWhere('case.stage = :stage', { stage: query.stage });
    if (query.country) qb.andWhere('case.country = :country', { country: query.country });
    if (query.eventId) qb.andWhere('case.eventId = :eventId', { eventId: query.eventId });
    if (query.personId) {
      qb.andWhere('EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = case.id AND p.person_id = :personId)', {
        personId: query.personId,
      });
    }
    const page = await paginate(qb, [{ column: 'case.seq', read: (c) => c.seq, cast: 'bigint' }], query);
    return {
      items: await this.load(
        this.dataSource.manager,
        page.items.map((c) => c.id),
      ),
      nextCursor: page.nextCursor,
    };
  }

  async update(id: string, dto: UpdateCaseDto, expectedVersion?: number): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      await findActive(manager, CaseEntity, id, { lock: true });
      await this.checkReferences(manager, dto);
      await updateVersioned(manager, CaseEntity, id, this.columns(dto), expectedVersion);
      await this.writeChildren(manager, id, dto);
      return (await this.load(manager, [id]))[0]!;
    });
  }

  async archive(id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction((manager) => archiveRecord(manager, CaseEntity, id, expectedVersion));
  }

  async restore(id: string): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      await restoreRecord(manager, CaseEntity, id);
      return (await this.load(manager, [id]))[0]!;
    });
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, CaseEntity, externalId);
  }

  /** Loads full case views for the ids, in the order given, with one query per kind of child. */
  async load(manager: EntityManager, ids: string[]): Promise<CaseView[]> {
    if (ids.length === 0) return [];
    const cases = await manager.createQueryBuilder(CaseEntity, 'case').where('case.id IN (:...ids)', { ids }).getMany();
    const participants = await manager
      .createQueryBuilder(CaseParticipantEntity, 'p')
      .innerJoinAndSelect('p.person', 'person', 'person.archivedAt IS NULL')
      .where('p.caseId IN (:...ids)', { ids })
      .orderBy('p.position')
      .getMany();
    const charges = await manager
      .createQueryBuilder(ChargeEntity, 'c')
      .where('c.caseId IN (:...ids)', { ids })
      .orderBy('c.position')
      .getMany();
    const next = await this.hearings.nextScheduled(manager, ids);
    const byId = new Map(cases.map((c) => [c.id, c]));
    return ids.flatMap((id) => {
      const c = byId.get(id);
      if (!c) return [];
      const nextHearing = next.get(id);
      return [
        {
          ...recordMeta(c),
          externalId: c.externalId,
          title: c.title,
          country: c.country,
          court: c.court,
          jurisdiction: c.jurisdiction,
          stage: c.stage,
          eventId: c.eventId,
          participants: participants
            .filter((p) => p.caseId === id)
            .map((p) => ({ personId: p.personId, displayName: p.person.displayName, role: p.role, note: p.note })),
          charges: charges.filter((x) => x.caseId === id).map(chargeView),
          outcome: c.verdict
            ? {
                verdict: c.verdict,
                date: PartialDateColumns.toPartialDate(c.verdictDate),
                sentence: intervalToTerm(c.sentence),
                note: c.outcomeNote,
              }
            : null,
          notes: c.notes,
          visibility: c.visibility,
          sourceIds: c.sourceIds ?? [],
          nextHearing: nextHearing ? hearingView(nextHearing) : null,
        },
      ];
    });
  }

  private columns(dto: Partial<CreateCaseDto>): DeepPartial<CaseEntity> {
    const outcome = dto.outcome;
    return {
      externalId: dto.externalId,
      title: dto.title,
      country: dto.country,
      court: dto.court,
      jurisdiction: dto.jurisdiction,
      stage: dto.stage,
      eventId: dto.eventId,
      notes: dto.notes,
      visibility: dto.visibility,
      ...(outcome === undefined
        ? {}
        : {
            verdict: outcome?.verdict ?? null,
            verdictDate: PartialDateColumns.from(outcome?.date),
            sentence: termToInterval(outcome?.sentence),
            outcomeNote: outcome?.note ?? null,
          }),
    };
  }

  private async checkReferences(manager: EntityManager, dto: Partial<CreateCaseDto>): Promise<void> {
    const participants = dto.participants ?? [];
    const keys = participants.map((p) => `${p.personId}/${p.role}`);
    const repeated = keys.flatMap((key, i) =>
      keys.indexOf(key) < i
        ? [{ field: `participants[${i}]`, message: 'repeats the same person in the same role' }]
        : [],
    );
    if (repeated.length > 0) throw new InvalidInputError(repeated);
    await assertRecordsExist(manager, [
      { target: EventEntity, ids: dto.eventId ? [dto.eventId] : [], field: () => 'eventId' },
      { target: SourceEntity, ids: dto.sourceIds ?? [], field: 'sourceIds' },
      { target: PersonEntity, ids: participants.map((p) => p.personId), field: (i) => `participants[${i}].personId` },
    ]);
  }

  private async writeChildren(manager: EntityManager, caseId: string, dto: Partial<CreateCaseDto>): Promise<void> {
    if (dto.participants !== undefined) {
      await manager.delete(CaseParticipantEntity, { caseId });
      if (dto.participants.length > 0)
        await manager.insert(
          CaseParticipantEntity,
          dto.participants.map((p, position) => ({
            caseId,
            personId: p.personId,
            role: p.role,
            note: p.note ?? null,
            position,
          })),
        );
    }
    if (dto.charges !== undefined) {
      await manager.delete(ChargeEntity, { caseId });
      if (dto.charges.length > 0)
        await manager.insert(
          ChargeEntity,
          dto.charges.map((c, position) => ({
            caseId,
            article: c.article ?? null,
            description: c.description,
            maxSentence: termToInterval(c.maxSentence),
            position,
          })),
        );
    }
    if (dto.sourceIds !== undefined) await replaceRelationIds(manager, CaseEntity, 'sources', caseId, dto.sourceIds);
  }
}

export function chargeView(c: ChargeEntity): ChargeView {
  return { article: c.article, description: c.description, maxSentence: intervalToTerm(c.maxSentence) };
}
