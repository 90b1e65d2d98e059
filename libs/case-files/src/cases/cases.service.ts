import { hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot, withoutHiddenReferences } from '#audit';
import {
  type Actor,
  DEFAULT_VISIBILITY,
  type FieldError,
  InvalidInputError,
  type Page,
  type WriteContext,
} from '#common';
import {
  archiveRecord,
  loadRelationIds,
  missingRecords,
  paginate,
  PartialDateColumns,
  recordMeta,
  restoreRecord,
  updateVersioned,
  findIdByExternalId,
} from '#database';
import { EventEntity, SourcesService } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import type { HearingView } from '../hearings/hearing.view.js';
import { HearingsService } from '../hearings/hearings.service.js';
import { PersonEntity } from '../persons/person.entity.js';
import {
  assertMayWriteRestricted,
  caseVisible,
  findVisible,
  personVisible,
  visibleIdsOf,
  where,
} from '../visibility.js';
import { intervalToTerm, termToInterval } from './case.js';
import type { CreateCaseDto, ListCasesQueryDto, UpdateCaseDto } from './case.dto.js';
import { CaseEntity, CaseParticipantEntity, ChargeEntity } from './case.entity.js';
import type { CaseOutcomeView, CaseView, ChargeView } from './case.view.js';
import { defendantsOf, refreshDefendantStages } from './defendant-stages.js';

/** What a person's case file shows of each of their cases, besides their roles in it. */
export type CaseBrief = Pick<CaseView, 'id' | 'title' | 'stage' | 'charges' | 'nextHearing'>;

/**
 * Proceedings with their participants, charges and outcome; reads filtered by visibility, writes
 * audited. Every write recomputes the stored stages of the case's defendants, before and after it,
 * in its transaction (`refreshDefendantStages`).
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hearings: HearingsService,
    private readonly sources: SourcesService,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateCaseDto, context: WriteContext): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      await assertMayWriteRestricted(manager, context.actor, 'case', null, { visibility: dto.visibility });
      await this.checkReferences(manager, dto, context.actor);
      const repo = manager.getRepository(CaseEntity);
      const saved = await repo.save(
        repo.create({ ...this.columns(dto), visibility: dto.visibility ?? DEFAULT_VISIBILITY }),
      );
      await this.writeChildren(manager, saved.id, dto, context.actor);
      await refreshDefendantStages(manager, await defendantsOf(manager, [saved.id]));
      await this.record(manager, context, 'create', saved.id, null);
      return (await this.load(manager, [saved.id], context.actor))[0]!;
    });
  }

  async get(id: string, reader: Actor): Promise<CaseView> {
    await this.findVisible(this.dataSource.manager, id, reader);
    return (await this.load(this.dataSource.manager, [id], reader))[0]!;
  }

  async list(query: ListCasesQueryDto, reader: Actor): Promise<Page<CaseView>> {
    const qb = this.dataSource.manager.createQueryBuilder(CaseEntity, 'case').where('case.archivedAt IS NULL');
    where(qb, caseVisible(reader));
    if (query.stage) qb.andWhere('case.stage = :stage', { stage: query.stage });
    if (query.country) qb.andWhere('case.country = :country', { country: query.country });
    if (query.eventId) qb.andWhere('case.eventId = :eventId', { eventId: query.eventId });
    if (query.personId) {
      // Only through a person the reader may see (live, and cleared when restricted): the cases of
      // anyone else are not told, as their participants lists leave that person out.
      const person = personVisible(reader, 'person');
      qb.andWhere(
        `EXISTS (SELECT 1 FROM case_participants p JOIN persons person ON person.id = p.person_id
                  WHERE p.case_id = case.id AND p.person_id = :personId AND person.archived_at IS NULL
                    AND ${person.sql})`,
        { personId: query.personId, ...person.params },
      );
    }
    const page = await paginate(qb, [{ column: 'case.seq', read: (c) => c.seq, cast: 'bigint' }], query);
    return {
      items: await this.load(
        this.dataSource.manager,
        page.items.map((c) => c.id),
        reader,
      ),
      nextCursor: page.nextCursor,
    };
  }

  async update(id: string, dto: UpdateCaseDto, version: number, context: WriteContext): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      await this.findVisible(manager, id, context.actor, { lock: true });
      await assertMayWriteRestricted(manager, context.actor, 'case', id, { visibility: dto.visibility });
      await this.checkReferences(manager, dto, context.actor);
      const before = await this.snapshot(manager, id);
      const defendantsBefore = await defendantsOf(manager, [id]);
      await updateVersioned(manager, CaseEntity, id, this.columns(dto), version);
      await this.writeChildren(manager, id, dto, context.actor);
      await refreshDefendantStages(manager, [...defendantsBefore, ...(await defendantsOf(manager, [id]))]);
      await this.record(manager, context, 'update', id, before);
      return (await this.load(manager, [id], context.actor))[0]!;
    });
  }

  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.findVisible(manager, id, context.actor, { lock: true });
      const before = await this.snapshot(manager, id);
      await archiveRecord(manager, CaseEntity, id, version);
      await refreshDefendantStages(manager, await defendantsOf(manager, [id]));
      await this.record(manager, context, 'archive', id, before);
    });
  }

  async restore(id: string, context: WriteContext): Promise<CaseView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(manager, id, context.actor, { lock: true, state: 'any' });
      if (current.archivedAt) {
        const before = await this.snapshot(manager, id);
        await restoreRecord(manager, CaseEntity, id);
        await refreshDefendantStages(manager, await defendantsOf(manager, [id]));
        await this.record(manager, context, 'restore', id, before);
      }
      return (await this.load(manager, [id], context.actor))[0]!;
    });
  }

  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    await this.findVisible(manager, id, reader, { state: 'any' });
    const history = await this.audit.history('case', id, page, {
      clearance: await hasClearance(manager, reader, 'case', id),
    });
    return withoutHiddenReferences(history, {
      sourceIds: (ids) => this.sources.visibleIds(manager, reader, ids),
      participants: (ids) => visibleIdsOf(manager, PersonEntity, 'person', [personVisible(reader)], ids),
    });
  }

  /** A live (or with `state: 'any'`, also archived) case the reader may see, else 404. */
  findVisible(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<CaseEntity> {
    return findVisible(manager, CaseEntity, 'case', id, [caseVisible(reader)], options);
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, CaseEntity, externalId);
  }

  /**
   * Loads full case views for the ids, in the order given: the cases with their charges in one
   * query, then one query per other kind of child. Cases, participants, hearings and sources the
   * reader may not see are left out.
   */
  async load(manager: EntityManager, ids: string[], reader: Actor): Promise<CaseView[]> {
    const { cases, next } = await this.loadCases(manager, ids, reader);
    if (cases.length === 0) return [];
    const found = cases.map((c) => c.id);
    const person = personVisible(reader);
    const participants = await manager
      .createQueryBuilder(CaseParticipantEntity, 'p')
      .innerJoinAndSelect('p.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params)
      .where('p.caseId IN (:...ids)', { ids: found })
      .orderBy('p.position')
      .getMany();
    const sources = await loadRelationIds(manager, CaseEntity, 'sources', found);
    const visibleSources = new Set(
      await this.sources.visibleIds(manager, reader, [...new Set([...sources.values()].flat())]),
    );
    const participantsOf = new Map<string, CaseView['participants']>(found.map((id) => [id, []]));
    for (const p of participants) {
      participantsOf
        .get(p.caseId)!
        .push({ personId: p.personId, displayName: p.person.displayName, role: p.role, note: p.note });
    }
    return cases.map((c) =>
      recordMeta(
        c,
        Object.assign(caseFields(c), {
          participants: participantsOf.get(c.id)!,
          charges: c.charges.map(chargeView),
          outcome: outcomeView(c),
          notes: c.notes,
          visibility: c.visibility,
          sourceIds: sources.get(c.id)!.filter((sourceId) => visibleSources.has(sourceId)),
          nextHearing: next.get(c.id) ?? null,
        }),
      ),
    );
  }

  /**
   * What a person's case file shows of their cases (`CaseBrief`), in the order given, for the
   * cases the reader may see: `load` without the participants and sources, which it does not show.
   */
  async loadBriefs(manager: EntityManager, ids: string[], reader: Actor): Promise<CaseBrief[]> {
    const { cases, next } = await this.loadCases(manager, ids, reader);
    return cases.map((c) => ({
      id: c.id,
      title: c.title,
      stage: c.stage,
      charges: c.charges.map(chargeView),
      nextHearing: next.get(c.id) ?? null,
    }));
  }

  /**
   * The cases among `ids` that the reader may see, in the order given, with their charges (in one
   * query), and the next hearing of each that the reader may see, keyed by case id.
   */
  private async loadCases(
    manager: EntityManager,
    ids: string[],
    reader: Actor,
  ): Promise<{ cases: CaseEntity[]; next: Map<string, HearingView> }> {
    if (ids.length === 0) return { cases: [], next: new Map() };
    const casesQuery = manager
      .createQueryBuilder(CaseEntity, 'case')
      .leftJoinAndSelect('case.charges', 'charge')
      .where('case.id IN (:...ids)', { ids })
      .orderBy('charge.position');
    where(casesQuery, caseVisible(reader));
    const byId = new Map((await casesQuery.getMany()).map((c) => [c.id, c]));
    const cases = ids.flatMap((id) => byId.get(id) ?? []);
    const nextHearings = [...(await this.hearings.nextScheduled(manager, [...byId.keys()], reader)).values()];
    const next = new Map((await this.hearings.present(manager, nextHearings, reader)).map((h) => [h.caseId, h]));
    return { cases, next };
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

  /** What the audit trail keeps of a case. */
  private async snapshot(
    manager: EntityManager,
    id: string,
  ): Promise<Snapshot & { visibility: CaseEntity['visibility'] }> {
    const c = await manager.findOneOrFail(CaseEntity, { where: { id } });
    const participants = await manager.find(CaseParticipantEntity, {
      where: { caseId: id },
      order: { position: 'ASC' },
    });
    const charges = await manager.find(ChargeEntity, { where: { caseId: id }, order: { position: 'ASC' } });
    const sourceIds = await loadRelationIds(manager, CaseEntity, 'sources', [id]);
    return {
      ...caseFields(c),
      participants: participants.map((p) => ({ personId: p.personId, role: p.role, note: p.note })),
      charges: charges.map(chargeView),
      outcome: outcomeView(c),
      notes: c.notes,
      visibility: c.visibility,
      sourceIds: sourceIds.get(id)!,
      archivedAt: c.archivedAt?.toISOString() ?? null,
    };
  }

  private async record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    id: string,
    before: Awaited<ReturnType<CasesService['snapshot']>> | null,
  ): Promise<void> {
    const after = await this.snapshot(manager, id);
    await this.audit.record(manager, context, {
      action,
      entityType: 'case',
      entityId: id,
      before,
      after,
      visibility: [before?.visibility, after.visibility],
    });
  }

  private async checkReferences(manager: EntityManager, dto: Partial<CreateCaseDto>, actor: Actor): Promise<void> {
    const participants = dto.participants ?? [];
    const keys = participants.map((p) => `${p.personId}/${p.role}`);
    const repeated = keys.flatMap((key, i) =>
      keys.indexOf(key) < i
        ? [{ field: `participants[${i}]`, message: 'repeats the same person in the same role' }]
        : [],
    );
    if (repeated.length > 0) throw new InvalidInputError(repeated);
    const errors = [
      ...(await missingRecords(manager, [
        { target: EventEntity, ids: dto.eventId ? [dto.eventId] : [], field: () => 'eventId' },
      ])),
      ...(await this.sources.citationProblems(manager, actor, dto.sourceIds ?? [])),
      ...(await this.missingParticipants(manager, participants, actor)),
    ];
    if (errors.length > 0) throw new InvalidInputError(errors);
  }

  /** Participants naming no live person the actor may see (one they may not see counts as missing). */
  private async missingParticipants(
    manager: EntityManager,
    participants: Array<{ personId: string }>,
    actor: Actor,
  ): Promise<FieldError[]> {
    const personIds = [...new Set(participants.map((p) => p.personId))];
    const live = { sql: 'person.archivedAt IS NULL', params: {} };
    const found = new Set(await visibleIdsOf(manager, PersonEntity, 'person', [live, personVisible(actor)], personIds));
    return participants.flatMap((p, i) =>
      found.has(p.personId)
        ? []
        : [{ field: `participants[${i}].personId`, message: `no person with id ${p.personId}` }],
    );
  }

  private async writeChildren(
    manager: EntityManager,
    caseId: string,
    dto: Partial<CreateCaseDto>,
    actor: Actor,
  ): Promise<void> {
    if (dto.participants !== undefined) {
      // The list replaces the participants the actor can see; archived persons and persons the
      // actor may not see keep their place in the case (the actor could not have sent them).
      const person = personVisible(actor);
      const replaceable = await manager
        .createQueryBuilder(CaseParticipantEntity, 'p')
        .select('p.id', 'id')
        .innerJoin('p.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params)
        .where('p.caseId = :caseId', { caseId })
        .getRawMany<{ id: string }>();
      if (replaceable.length > 0)
        await manager.delete(
          CaseParticipantEntity,
          replaceable.map((r) => r.id),
        );
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
    if (dto.sourceIds !== undefined) {
      await this.sources.replaceCitations(manager, CaseEntity, caseId, dto.sourceIds, actor);
    }
  }
}

function outcomeView(c: CaseEntity): CaseOutcomeView | null {
  if (!c.verdict) return null;
  return {
    verdict: c.verdict,
    date: PartialDateColumns.toPartialDate(c.verdictDate),
    sentence: intervalToTerm(c.sentence),
    note: c.outcomeNote,
  };
}

export function chargeView(c: ChargeEntity): ChargeView {
  return { article: c.article, description: c.description, maxSentence: intervalToTerm(c.maxSentence) };
}

/** The case's own fields, in the order its view and its audit snapshot both show them. */
function caseFields(c: CaseEntity) {
  return {
    externalId: c.externalId,
    title: c.title,
    country: c.country,
    court: c.court,
    jurisdiction: c.jurisdiction,
    stage: c.stage,
    eventId: c.eventId,
  };
}
