import { NotFoundError, type Page, type WriteContext } from '#common';
import { AuditTrail, type Snapshot } from '#audit';
import { paginate } from '#database';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiKeyEntity } from './access.entities.js';
import type { CreateApiKeyDto } from './access.dto.js';
import type { ApiKeyView, CreatedApiKeyView } from './access.views.js';
import { API_KEY_PREFIX, newSecret, secretHash } from './tokens.js';

function apiKeyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    scope: k.scope,
    prefix: k.prefix,
    createdById: k.createdById,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

function snapshot(k: ApiKeyEntity): Snapshot {
  return {
    name: k.name,
    scope: k.scope,
    prefix: k.prefix,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** API keys for integrations; the key is shown once, and only its hash is stored. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateApiKeyDto, context: WriteContext): Promise<CreatedApiKeyView> {
    const key = newSecret(API_KEY_PREFIX);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const saved = await repo.save(
        repo.create({
          name: dto.name.trim(),
          scope: dto.scope,
          tokenHash: secretHash(key),
          prefix: key.slice(0, API_KEY_PREFIX.length + 4),
          createdById: context.actor.kind === 'user' ? context.actor.id : null,
          expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
        }),
      );
      const stored = await this.find(manager, saved.id);
      await this.audit.record(manager, context, {
        action: 'create',
        entityType: 'api-key',
        entityId: saved.id,
        after: snapshot(stored),
      });
      return { ...apiKeyView(stored), key };
    });
  }

  async list(page: { limit?: number; cursor?: string }): Promise<Page<ApiKeyView>> {
    const qb = this.dataSource.manager.createQueryBuilder(ApiKeyEntity, 'key');
    const result = await paginate(qb, [{ column: 'key.seq', read: (k) => k.seq, cast: 'bigint' }], page);
    return { items: result.items.map(apiKeyView), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<ApiKeyView> {
    return apiKeyView(await this.find(this.dataSource.manager, id));
  }

  /** Revokes a key: it stops working at once. Revoking a revoked key changes nothing. */
  async revoke(id: string, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const key = await this.find(manager, id, true);
      if (key.revokedAt) return;
      await manager.update(ApiKeyEntity, { id }, { revokedAt: new Date() });
      await this.audit.record(manager, context, {
        action: 'revoke',
        entityType: 'api-key',
        entityId: id,
        before: snapshot(key),
        after: snapshot(await this.find(manager, id)),
      });
    });
  }

  /** `lock` only inside a transaction (PostgreSQL row locks need one). */
  private async find(manager: EntityManager, id: string, lock = false): Promise<ApiKeyEntity> {
    const key = await manager.findOne(ApiKeyEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!key) throw new NotFoundError('API key', id);
    return key;
  }
}
