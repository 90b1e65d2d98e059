import { ConflictError, InvalidInputError, NotFoundError, type Page, type WriteContext } from '#common';
import { AuditTrail, type Snapshot } from '#audit';
import { paginate } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessGrantEntity, UserEntity } from './access.entities.js';
import type { CreateAccessGrantDto, ListAccessGrantsQueryDto } from './access.dto.js';
import type { AccessGrantView } from './access.views.js';

function grantView(g: AccessGrantEntity): AccessGrantView {
  return {
    id: g.id,
    userId: g.userId,
    personId: g.personId,
    caseId: g.caseId,
    grantedById: g.grantedById,
    createdAt: g.createdAt.toISOString(),
  };
}

function snapshot(g: AccessGrantEntity): Snapshot {
  return { userId: g.userId, personId: g.personId, caseId: g.caseId };
}

/** Tables of the records a grant can name (live records only). */
const TARGET_TABLES = { personId: 'persons', caseId: 'cases' } as const;

/** Grants that let a non-admin user see the restricted material of one person or case. */
@Injectable()
export class AccessGrantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateAccessGrantDto, context: WriteContext): Promise<AccessGrantView> {
    const targets = (['personId', 'caseId'] as const).filter((field) => dto[field] !== undefined);
    if (targets.length !== 1) {
      throw InvalidInputError.field('personId', 'give exactly one of personId and caseId');
    }
    const field = targets[0]!;
    return this.dataSource.transaction(async (manager) => {
      if (!(await manager.exists(UserEntity, { where: { id: dto.userId } }))) {
        throw InvalidInputError.field('userId', `no user with id ${dto.userId}`);
      }
      const [target] = await manager.query<unknown[]>(
        `SELECT 1 FROM ${TARGET_TABLES[field]} WHERE id = $1 AND archived_at IS NULL`,
        [dto[field]],
      );
      if (!target)
        throw InvalidInputError.field(field, `no ${field === 'personId' ? 'person' : 'case'} with id ${dto[field]}`);
      if (await manager.exists(AccessGrantEntity, { where: { userId: dto.userId, [field]: dto[field] } })) {
        throw new ConflictError('This user already has this grant.');
      }
      const repo = manager.getRepository(AccessGrantEntity);
      const saved = await repo.save(
        repo.create({
          userId: dto.userId,
          personId: dto.personId ?? null,
          caseId: dto.caseId ?? null,
          grantedById: context.actor.kind === 'user' ? context.actor.id : null,
        }),
      );
      await this.audit.record(manager, context, {
        action: 'create',
        entityType: 'access-grant',
        entityId: saved.id,
        after: snapshot(saved),
      });
      return grantView(saved);
    });
  }

  async list(query: ListAccessGrantsQueryDto): Promise<Page<AccessGrantView>> {
    const qb = this.dataSource.manager.createQueryBuilder(AccessGrantEntity, 'grant');
    if (query.userId) qb.andWhere('grant.userId = :userId', { userId: query.userId });
    if (query.personId) qb.andWhere('grant.personId = :personId', { personId: query.personId });
    if (query.caseId) qb.andWhere('grant.caseId = :caseId', { caseId: query.caseId });
    const result = await paginate(qb, [{ column: 'grant.seq', read: (g) => g.seq, cast: 'bigint' }], query);
    return { items: result.items.map(grantView), nextCursor: result.nextCursor };
  }

  /** Removes a grant; the user loses access at once. */
  async revoke(id: string, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const grant = await this.find(manager, id);
      await manager.delete(AccessGrantEntity, { id });
      await this.audit.record(manager, context, {
        action: 'revoke',
        entityType: 'access-grant',
        entityId: id,
        before: snapshot(grant),
      });
    });
  }

  private async find(manager: EntityManager, id: string): Promise<AccessGrantEntity> {
    const grant = await manager.findOne(AccessGrantEntity, { where: { id } });
    if (!grant) throw new NotFoundError('Access grant', id);
    return grant;
  }
}
