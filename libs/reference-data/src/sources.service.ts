import { adminOnlyRestrictedCondition } from '#access';
import { AuditTrail, type HistoryAccess, type Snapshot } from '#audit';
import { type Actor, type FieldError, ForbiddenError, InvalidInputError } from '#common';
import { loadRelationIds, missingRecords, PartialDateColumns, recordMeta, replaceRelationIds } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type DeepPartial,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
  type SelectQueryBuilder,
} from 'typeorm';
import type { CreateSourceDto, UpdateSourceDto } from './dto.js';
import { RecordService } from './record.service.js';
import { SourceEntity } from './source.entity.js';
import type { SourceView } from './views.js';

const CONTACT_FIELD = 'source.contactDetails';

/**
 * Sources. A restricted source, and every source's contact details, are for admins only: no
 * grant opens them. Contact details are encrypted at rest.
 */
@Injectable()
export class SourcesService extends RecordService<SourceEntity, SourceView, CreateSourceDto, UpdateSourceDto> {
  protected readonly target = SourceEntity;
  protected readonly entityType = 'source';

  constructor(
    dataSource: DataSource,
    audit: AuditTrail,
    private readonly keyring: Keyring,
  ) {
    super(dataSource, audit);
  }

  protected columns(dto: Partial<CreateSourceDto>): DeepPartial<SourceEntity> {
    return {
      externalId: dto.externalId,
      publisher: dto.publisher,
      title: dto.title,
      url: dto.url,
      published: dto.published === undefined ? undefined : PartialDateColumns.from(dto.published),
      language: dto.language,
      note: dto.note,
      visibility: dto.visibility,
      contactDetails: this.keyring.encryptNullable(dto.contactDetails, CONTACT_FIELD),
    };
  }

  protected override restrictTo(qb: SelectQueryBuilder<SourceEntity>, reader: Actor): void {
    const { sql, params } = adminOnlyRestrictedCondition(reader, 'record.visibility');
    if (sql !== 'TRUE') qb.andWhere(sql, params);
  }

  protected override async checkWrite(_m: EntityManager, actor: Actor, dto: Partial<CreateSourceDto>): Promise<void> {
    if (actor.role === 'admin') return;
    if (dto.visibility === 'restricted' || dto.contactDetails !== undefined) {
      throw new ForbiddenError('Only admins may mark a source restricted or write its contact details.');
    }
  }

  protected override snapshot(e: SourceEntity): Snapshot {
    // The ciphertext, not the plaintext: the audit trail keeps encrypted values encrypted.
    return { ...super.snapshot(e), contactDetails: e.contactDetails };
  }

  protected override historyAccess(reader: Actor): HistoryAccess {
    const admin = reader.role === 'admin';
    return { clearance: admin, encryptedFields: ['contactDetails'], restrictedFields: ['contactDetails'] };
  }

  protected view(e: SourceEntity, reader: Actor): SourceView {
    return recordMeta(e, {
      externalId: e.externalId,
      publisher: e.publisher,
      title: e.title,
      url: e.url,
      published: PartialDateColumns.toPartialDate(e.published),
      language: e.language,
      note: e.note,
      visibility: e.visibility,
      contactDetails: reader.role === 'admin' ? this.keyring.decryptNullable(e.contactDetails, CONTACT_FIELD) : null,
    });
  }

  /**
   * Checks that every id names a live source the actor may cite; a restricted source is
   * answered, for anyone but an admin, exactly like one that does not exist.
   */
  async assertCitable(manager: EntityManager, actor: Actor, ids: readonly string[]): Promise<void> {
    const errors = await this.citationProblems(manager, actor, ids);
    if (errors.length > 0) throw new InvalidInputError(errors);
  }

  /** The field errors `assertCitable` would report, for callers that check more references. */
  async citationProblems(
    manager: EntityManager,
    actor: Actor,
    ids: readonly string[],
    field = 'sourceIds',
  ): Promise<FieldError[]> {
    const missing = await missingRecords(manager, [{ target: SourceEntity, ids, field }]);
    const visible = new Set(await this.visibleIds(manager, actor, [...ids]));
    const hidden = ids.flatMap((id, i) =>
      visible.has(id) || missing.some((e) => e.field === `${field}[${i}]`)
        ? []
        : [{ field: `${field}[${i}]`, message: `no source with id ${id}` }],
    );
    return [...missing, ...hidden];
  }

  /**
   * Makes the sources a record cites exactly `ids`, keeping the restricted ones the actor cannot
   * see (they could not have sent them back, so a list from them must not drop them).
   */
  async replaceCitations(
    manager: EntityManager,
    target: EntityTarget<ObjectLiteral>,
    ownerId: string,
    ids: readonly string[],
    actor: Actor,
  ): Promise<void> {
    const current = (await loadRelationIds(manager, target, 'sources', [ownerId])).get(ownerId)!;
    const visible = new Set(await this.visibleIds(manager, actor, current));
    const kept = current.filter((id) => !visible.has(id));
    await replaceRelationIds(manager, target, 'sources', ownerId, [...ids, ...kept]);
  }

  /** The ids among `ids` that `reader` may see (restricted sources are for admins only). */
  async visibleIds(manager: EntityManager, reader: Actor, ids: string[]): Promise<string[]> {
    const visible = adminOnlyRestrictedCondition(reader, 'source.visibility');
    if (visible.sql === 'TRUE' || ids.length === 0) return ids;
    const hidden = await manager
      .createQueryBuilder(SourceEntity, 'source')
      .select('source.id', 'id')
      .where('source.id IN (:...ids)', { ids })
      .andWhere(`NOT ${visible.sql}`, visible.params)
      .getRawMany<{ id: string }>();
    const hiddenIds = new Set(hidden.map((h) => h.id));
    return ids.filter((id) => !hiddenIds.has(id));
  }
}
