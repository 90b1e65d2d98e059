import { hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot } from '#audit';
import { assertMayWriteRestricted, childVisible, findVisible, PersonEntity, personVisible, where } from '#case-files';
import {
  type Actor,
  DEFAULT_VISIBILITY,
  NotFoundError,
  type Page,
  PreconditionFailedError,
  PreconditionRequiredError,
  type WriteContext,
} from '#common';
import { archiveRecord, recordMeta, updateVersioned } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, type SelectQueryBuilder } from 'typeorm';
import type { CampaignDto } from './campaign.dto.js';
import { CampaignEntity } from './campaign.entity.js';
import type { CampaignView } from './campaign.view.js';

const ENTITY_TYPE = 'campaign';
/** Name in 404s: the route names the person, not the campaign. */
const NOT_FOUND = 'Campaign of person';

type CampaignFields = Pick<
  CampaignEntity,
  | 'headline'
  | 'actionNumber'
  | 'followUpOf'
  | 'summary'
  | 'modelLetter'
  | 'recipients'
  | 'copies'
  | 'appealDeadline'
  | 'background'
  | 'language'
>;

/** What a PUT body stores: every field, those left out cleared. */
function fieldsOf(dto: CampaignDto): CampaignFields {
  const letter = dto.modelLetter;
  return {
    headline: dto.headline ?? null,
    actionNumber: dto.actionNumber ?? null,
    followUpOf: dto.followUpOf ?? null,
    summary: dto.summary ?? null,
    modelLetter: letter
      ? {
          salutation: letter.salutation,
          facts: letter.facts,
          requests: letter.requests ?? [],
          closing: letter.closing ?? null,
        }
      : null,
    recipients: (dto.recipients ?? []).map((r) => ({
      title: r.title ?? null,
      name: r.name,
      address: r.address ?? null,
      email: r.email ?? null,
      salutation: r.salutation ?? null,
      preferredLanguage: r.preferredLanguage ?? null,
    })),
    copies: (dto.copies ?? []).map((c) => ({
      title: c.title ?? null,
      name: c.name,
      address: c.address ?? null,
      email: c.email ?? null,
    })),
    appealDeadline: dto.appealDeadline ?? null,
    background: dto.background ?? null,
    language: dto.language ?? null,
  };
}

function snapshot(c: CampaignEntity): Snapshot {
  return {
    personId: c.personId,
    headline: c.headline,
    actionNumber: c.actionNumber,
    followUpOf: c.followUpOf,
    summary: c.summary,
    modelLetter: c.modelLetter,
    recipients: c.recipients,
    copies: c.copies,
    appealDeadline: c.appealDeadline,
    background: c.background,
    language: c.language,
    visibility: c.visibility,
    archivedAt: c.archivedAt?.toISOString() ?? null,
  };
}

function view(c: CampaignEntity): CampaignView {
  return recordMeta(c, {
    personId: c.personId,
    headline: c.headline,
    actionNumber: c.actionNumber,
    followUpOf: c.followUpOf,
    summary: c.summary,
    modelLetter: c.modelLetter,
    recipients: c.recipients,
    copies: c.copies,
    appealDeadline: c.appealDeadline,
    background: c.background,
    language: c.language,
    visibility: c.visibility,
  });
}

/**
 * The campaign kept with a person (one live one each), read and written through its person:
 * whoever may not see the person finds no campaign, and a restricted campaign needs clearance
 * on the person, like a restricted note. Every write is audited in its transaction.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async get(personId: string, reader: Actor): Promise<CampaignView> {
    return view(await this.findLive(this.dataSource.manager, personId, reader));
  }

  /** The person's live campaign as `reader` may see it, or null (report builders read it so). */
  findForReader(manager: EntityManager, personId: string, reader: Actor): Promise<CampaignEntity | null> {
    return this.visibleTo(manager, personId, reader).andWhere('campaign.archivedAt IS NULL').getOne();
  }

  /**
   * Creates the person's campaign, or replaces the live one: a replacement needs the version it
   * was based on (`If-Match`), and `ifNoneMatch` (`If-None-Match: *`) refuses to replace at all.
   */
  async put(
    personId: string,
    dto: CampaignDto,
    expectedVersion: number | null,
    ifNoneMatch: boolean,
    context: WriteContext,
  ): Promise<{ created: boolean; campaign: CampaignView }> {
    return this.dataSource.transaction(async (manager) => {
      // Locking the person serialises writers of its campaign: a concurrent create waits, then finds this one.
      await this.findPerson(manager, personId, context.actor, { lock: true });
      const current = await manager.findOneBy(CampaignEntity, { personId, archivedAt: IsNull() });
      // A restricted campaign is out of sight without clearance on the person: writing it answers
      // 404, as reading it does (not a 403 telling that it is there). Making one restricted needs
      // clearance too.
      if (current?.visibility === 'restricted' && !(await hasClearance(manager, context.actor, 'person', personId))) {
        throw new NotFoundError(NOT_FOUND, personId);
      }
      await assertMayWriteRestricted(manager, context.actor, 'person', personId, { visibility: dto.visibility });
      if (!current) {
        if (expectedVersion !== null) throw new NotFoundError(NOT_FOUND, personId);
        return { created: true, campaign: await this.create(manager, personId, dto, context) };
      }
      if (ifNoneMatch) throw new PreconditionFailedError('Campaign', current.version);
      if (expectedVersion === null) throw new PreconditionRequiredError();
      return { created: false, campaign: await this.replace(manager, current, dto, expectedVersion, context) };
    });
  }

  async archive(personId: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.findLive(manager, personId, context.actor, { lock: true });
      await archiveRecord(manager, CampaignEntity, before.id, version);
      const after = await manager.findOneByOrFail(CampaignEntity, { id: before.id });
      await this.record(manager, context, 'archive', before, after);
    });
  }

  /** Who changed the person's campaign (the live one, or else the last archived), when and why. */
  async history(
    personId: string,
    page: { limit?: number; cursor?: string },
    reader: Actor,
  ): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    await this.findPerson(manager, personId, reader);
    const campaign = await this.visibleTo(manager, personId, reader).orderBy('campaign.seq', 'DESC').getOne();
    if (!campaign) throw new NotFoundError(NOT_FOUND, personId);
    return this.audit.history(ENTITY_TYPE, campaign.id, page, {
      clearance: await hasClearance(manager, reader, 'person', personId),
      parent: { entityType: 'person', entityId: personId },
    });
  }

  private async create(
    manager: EntityManager,
    personId: string,
    dto: CampaignDto,
    context: WriteContext,
  ): Promise<CampaignView> {
    const repo = manager.getRepository(CampaignEntity);
    const saved = await repo.save(
      repo.create({ personId, ...fieldsOf(dto), visibility: dto.visibility ?? DEFAULT_VISIBILITY }),
    );
    const created = await manager.findOneByOrFail(CampaignEntity, { id: saved.id });
    await this.record(manager, context, 'create', null, created);
    return view(created);
  }

  private async replace(
    manager: EntityManager,
    before: CampaignEntity,
    dto: CampaignDto,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<CampaignView> {
    await updateVersioned(
      manager,
      CampaignEntity,
      before.id,
      { ...fieldsOf(dto), visibility: dto.visibility ?? before.visibility },
      expectedVersion,
    );
    const after = await manager.findOneByOrFail(CampaignEntity, { id: before.id });
    await this.record(manager, context, 'update', before, after);
    return view(after);
  }

  /** The person, live and visible to `reader`, or NotFoundError. */
  private findPerson(
    manager: EntityManager,
    personId: string,
    reader: Actor,
    options: { lock?: boolean } = {},
  ): Promise<PersonEntity> {
    return findVisible(manager, PersonEntity, 'person', personId, [personVisible(reader)], options);
  }

  private async findLive(
    manager: EntityManager,
    personId: string,
    reader: Actor,
    options: { lock?: boolean } = {},
  ): Promise<CampaignEntity> {
    await this.findPerson(manager, personId, reader);
    const qb = this.visibleTo(manager, personId, reader).andWhere('campaign.archivedAt IS NULL');
    // Only the campaign's row is locked (`OF` is needed with joins; TypeORM does not quote it).
    if (options.lock) qb.setLock('pessimistic_write', undefined, ['campaign']);
    const found = await qb.getOne();
    if (!found) throw new NotFoundError(NOT_FOUND, personId);
    return found;
  }

  /**
   * The person's campaigns (archived ones included) that `reader` may see: the person live and
   * visible, and clearance on it for a restricted campaign.
   */
  private visibleTo(manager: EntityManager, personId: string, reader: Actor): SelectQueryBuilder<CampaignEntity> {
    const person = personVisible(reader);
    const qb = manager
      .createQueryBuilder(CampaignEntity, 'campaign')
      .innerJoin('campaign.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params)
      .where('campaign.personId = :personId', { personId });
    where(qb, childVisible(reader, 'campaign', 'person', 'campaign.personId'));
    return qb;
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive',
    before: CampaignEntity | null,
    after: CampaignEntity,
  ): Promise<void> {
    return this.audit.recordChange(manager, context, action, ENTITY_TYPE, snapshot, before, after);
  }
}
