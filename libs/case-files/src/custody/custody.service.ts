import { type Page } from '#common';
import {
  assertRecordsExist,
  findActive,
  paginate,
  PartialDateColumns,
  replaceRelationIds,
  findIdByExternalId,
} from '#database';
import { SourceEntity } from '#reference-data';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PersonEntity } from '../persons/person.entity.js';
import { CustodyEventEntity } from './custody-event.entity.js';
import { compareCustodyEvents } from './custody.js';
import type { CreateCustodyEventDto } from './custody.dto.js';
import type { CustodyEventView } from './custody-event.view.js';

export function custodyEventView(e: CustodyEventEntity): CustodyEventView {
  return {
    id: e.id,
    personId: e.personId,
    status: e.status,
    from: PartialDateColumns.toPartialDate(e.from)!,
    place: e.place,
    facility: e.facility,
    note: e.note,
    sourceIds: e.sourceIds ?? [],
    recordedAt: e.createdAt.toISOString(),
  };
}

/** The append-only custody history of each person. */
@Injectable()
export class CustodyService {
  constructor(private readonly dataSource: DataSource) {}

  async append(personId: string, dto: CreateCustodyEventDto): Promise<CustodyEventView> {
    return this.dataSource.transaction(async (manager) => {
      await findActive(manager, PersonEntity, personId);
      await assertRecordsExist(manager, [{ target: SourceEntity, ids: dto.sourceIds ?? [], field: 'sourceIds' }]);
      const repo = manager.getRepository(CustodyEventEntity);
      const saved = await repo.save(
        repo.create({
          personId,
          externalId: dto.externalId ?? null,
          status: dto.status,
          from: PartialDateColumns.from(dto.from),
          place: dto.place ?? null,
          facility: dto.facility ?? null,
          note: dto.note ?? null,
        }),
      );
      await replaceRelationIds(manager, CustodyEventEntity, 'sources', saved.id, dto.sourceIds ?? []);
      const [event] = await this.load(manager, { ids: [saved.id] });
      return custodyEventView(event!);
    });
  }

  /** One page of a person's history, oldest first (the same order `currentCustody` is derived from). */
  async list(personId: string, page: { limit?: number; cursor?: string }): Promise<Page<CustodyEventView>> {
    const manager = this.dataSource.manager;
    await findActive(manager, PersonEntity, personId);
    const qb = manager
      .createQueryBuilder(CustodyEventEntity, 'event')
      .where('event.personId = :personId', { personId });
    const result = await paginate(
      qb,
      [
        { column: 'event.from_sort', read: (e) => e.from.sort!, cast: 'date' },
        { column: 'length(event.from_date)', read: (e) => e.from.date!.length, cast: 'int' },
        { column: 'event.seq', read: (e) => e.seq, cast: 'bigint' },
      ],
      page,
    );
    return { items: result.items.map(custodyEventView), nextCursor: result.nextCursor };
  }

  findIdByExternalId(externalId: string): Promise<string | null> {
    return findIdByExternalId(this.dataSource.manager, CustodyEventEntity, externalId);
  }

  /** Every custody event of the given people (or with the given ids), in chronological order. */
  async load(manager: EntityManager, where: { personIds?: string[]; ids?: string[] }): Promise<CustodyEventEntity[]> {
    const qb = manager.createQueryBuilder(CustodyEventEntity, 'event');
    if (where.personIds) {
      if (where.personIds.length === 0) return [];
      qb.where('event.personId IN (:...personIds)', { personIds: where.personIds });
    } else if (where.ids) {
      if (where.ids.length === 0) return [];
      qb.where('event.id IN (:...ids)', { ids: where.ids });
    }
    const events = await qb.getMany();
    return events.sort((a, b) =>
      compareCustodyEvents(
        { status: a.status, from: PartialDateColumns.toPartialDate(a.from)!, seq: a.seq },
        { status: b.status, from: PartialDateColumns.toPartialDate(b.from)!, seq: b.seq },
      ),
    );
  }
}
