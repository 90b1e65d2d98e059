import { AuditTrail, type HistoryAccess, type Snapshot } from '#audit';
import { type Actor, ForbiddenError } from '#common';
import { PartialDateColumns, recordMeta } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager, type SelectQueryBuilder } from 'typeorm';
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
    if (reader.role !== 'admin') qb.andWhere("record.visibility <> 'restricted'");
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
    return {
      ...recordMeta(e),
      externalId: e.externalId,
      publisher: e.publisher,
      title: e.title,
      url: e.url,
      published: PartialDateColumns.toPartialDate(e.published),
      language: e.language,
      note: e.note,
      visibility: e.visibility,
      contactDetails: reader.role === 'admin' ? this.keyring.decryptNullable(e.contactDetails, CONTACT_FIELD) : null,
    };
  }

  /** The ids among `ids` that `reader` may see (restricted sources are for admins only). */
  async visibleIds(manager: EntityManager, reader: Actor, ids: string[]): Promise<string[]> {
    if (reader.role === 'admin' || ids.length === 0) return ids;
    const hidden = await manager
      .createQueryBuilder(SourceEntity, 'source')
      .select('source.id', 'id')
      .where('source.id IN (:...ids)', { ids })
      .andWhere("source.visibility = 'restricted'")
      .getRawMany<{ id: string }>();
    const hiddenIds = new Set(hidden.map((h) => h.id));
    return ids.filter((id) => !hiddenIds.has(id));
  }
}
