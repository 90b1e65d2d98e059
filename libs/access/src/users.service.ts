import {
  type Actor,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  type Page,
  PreconditionFailedError,
  type Role,
  systemWrite,
  type WriteContext,
} from '#common';
import { ConfigurationError } from '#config';
import { type AuditEntryView, AuditTrail, type Snapshot } from '#audit';
import { paginate } from '#database';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessTokenEntity, UserEntity } from './access.entities.js';
import type { CreateUserDto, UpdateUserDto } from './access.dto.js';
import type { UserView } from './access.views.js';
import { hashPassword, passwordWeakness, verifyPassword } from './passwords.js';
import { secretHash } from './tokens.js';

/** Serialises the first-admin check of API processes starting together. */
const BOOTSTRAP_LOCK = 0x75736572; // "user"

export function userView(u: UserEntity): UserView {
  return {
    id: u.id,
    version: u.version,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    active: u.deactivatedAt === null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
  };
}

/** What the audit trail keeps of a user: never the password hash, only when it was set. */
function snapshot(u: UserEntity): Snapshot {
  return {
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    deactivatedAt: u.deactivatedAt?.toISOString() ?? null,
    passwordSetAt: u.passwordSetAt.toISOString(),
  };
}

function assertStrong(field: string, password: string, inputs: string[]): void {
  const weakness = passwordWeakness(password, inputs);
  if (weakness) throw InvalidInputError.field(field, weakness);
}

/** Staff accounts: the first admin, creation, role changes, deactivation, passwords. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Creates the first admin from `ADMIN_EMAIL` / `ADMIN_PASSWORD` when there are no users at
   * all. Without them, or with a weak password, start-up stops with a message saying so.
   */
  async ensureInitialAdmin(email: string | undefined, password: string | undefined): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      if ((await manager.count(UserEntity)) > 0) return;
      if (!email || !password) {
        throw new ConfigurationError([
          'There are no users yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin.',
        ]);
      }
      const weakness = passwordWeakness(password, [email]);
      if (weakness) throw new ConfigurationError([`ADMIN_PASSWORD ${weakness}.`]);
      await this.insert(manager, systemWrite('initial-admin'), {
        email: email.trim().toLowerCase(),
        displayName: 'Administrator',
        role: 'admin',
        password,
      });
      this.logger.log('created the first admin from ADMIN_EMAIL');
    });
  }

  async create(dto: CreateUserDto, context: WriteContext): Promise<UserView> {
    assertStrong('password', dto.password, [dto.email, dto.displayName]);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.exists(UserEntity, { where: { email: dto.email } })) {
        throw new ConflictError('A user with this email already exists.');
      }
      return userView(await this.insert(manager, context, dto));
    });
  }

  async list(page: { limit?: number; cursor?: string }): Promise<Page<UserView>> {
    const qb = this.dataSource.manager.createQueryBuilder(UserEntity, 'account');
    const result = await paginate(qb, [{ column: 'account.seq', read: (u) => u.seq, cast: 'bigint' }], page);
    return { items: result.items.map(userView), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<UserView> {
    return userView(await this.find(this.dataSource.manager, id));
  }

  /** Who created the account, changed its role or deactivated it, and when (admins read it). */
  async history(id: string, page: { limit?: number; cursor?: string }): Promise<Page<AuditEntryView>> {
    await this.find(this.dataSource.manager, id);
    return this.audit.history('user', id, page, { clearance: true });
  }

  /** Changes name, role or password. A new password ends the user's sessions. */
  async update(id: string, dto: UpdateUserDto, version: number, context: WriteContext): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, id, true);
      if (dto.password) assertStrong('password', dto.password, [user.email, dto.displayName ?? user.displayName]);
      if (dto.role && dto.role !== 'admin' && user.role === 'admin') await this.assertNotLastAdmin(manager, user);
      const changes: Partial<UserEntity> = { displayName: dto.displayName, role: dto.role };
      if (dto.password)
        Object.assign(changes, { passwordHash: await hashPassword(dto.password), passwordSetAt: new Date() });
      const updated = await this.write(manager, user, changes, version, context);
      if (dto.password) await this.endSessions(manager, id);
      return userView(updated);
    });
  }

  /** Deactivates a user: their sessions stop working at once; the account stays in the audit trail. */
  async deactivate(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, id, true);
      if (user.deactivatedAt) return;
      if (context.actor.id === id) throw new ConflictError('You cannot deactivate your own account.');
      if (user.role === 'admin') await this.assertNotLastAdmin(manager, user);
      await this.write(manager, user, { deactivatedAt: new Date() }, version, context, 'archive');
      await this.endSessions(manager, id);
    });
  }

  async reactivate(id: string, context: WriteContext): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, id, true);
      if (!user.deactivatedAt) return userView(user);
      return userView(await this.write(manager, user, { deactivatedAt: null }, user.version, context, 'restore'));
    });
  }

  /** The signed-in user changes their own password; their other sessions end. */
  async changeOwnPassword(
    actor: Actor,
    currentToken: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    if (actor.kind !== 'user' || !actor.id) throw new ForbiddenError('Only users have passwords.');
    await this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, actor.id!, true);
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        throw InvalidInputError.field('currentPassword', 'is not your current password');
      }
      assertStrong('newPassword', newPassword, [user.email, user.displayName]);
      const changes = { passwordHash: await hashPassword(newPassword), passwordSetAt: new Date() };
      await this.write(manager, user, changes, user.version, { actor, reason: 'password changed by the user' });
      await this.endSessions(manager, user.id, secretHash(currentToken));
    });
  }

  private async insert(
    manager: EntityManager,
    context: WriteContext,
    dto: { email: string; displayName: string; role: Role; password: string },
  ): Promise<UserEntity> {
    const repo = manager.getRepository(UserEntity);
    const saved = await repo.save(
      repo.create({
        email: dto.email,
        displayName: dto.displayName.trim(),
        role: dto.role,
        passwordHash: await hashPassword(dto.password),
        passwordSetAt: new Date(),
      }),
    );
    await this.audit.record(manager, context, {
      action: 'create',
      entityType: 'user',
      entityId: saved.id,
      after: snapshot(saved),
    });
    return saved;
  }

  /** A guarded `UPDATE ... WHERE version = $n`, audited. */
  private async write(
    manager: EntityManager,
    user: UserEntity,
    changes: Partial<UserEntity>,
    version: number,
    context: WriteContext,
    action: 'update' | 'archive' | 'restore' = 'update',
  ): Promise<UserEntity> {
    if (user.version !== version) throw new PreconditionFailedError('User', user.version);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...defined, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
      .where('id = :id AND version = :version', { id: user.id, version })
      .execute();
    const updated = await this.find(manager, user.id);
    await this.audit.record(manager, context, {
      action,
      entityType: 'user',
      entityId: user.id,
      before: snapshot(user),
      after: snapshot(updated),
    });
    return updated;
  }

  private async assertNotLastAdmin(manager: EntityManager, user: UserEntity): Promise<void> {
    const admins = await manager
      .createQueryBuilder(UserEntity, 'account')
      .where("account.role = 'admin' AND account.deactivatedAt IS NULL AND account.id <> :id", { id: user.id })
      .setLock('pessimistic_write')
      .getMany();
    if (admins.length === 0) throw new ConflictError('This is the last active admin; make someone else admin first.');
  }

  private async endSessions(manager: EntityManager, userId: string, exceptHash?: string): Promise<void> {
    const qb = manager
      .createQueryBuilder()
      .update(AccessTokenEntity)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptHash) qb.andWhere('token_hash <> :exceptHash', { exceptHash });
    await qb.execute();
  }

  private async find(manager: EntityManager, id: string, lock = false): Promise<UserEntity> {
    const qb = manager.createQueryBuilder(UserEntity, 'account').where('account.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const user = await qb.getOne();
    if (!user) throw new NotFoundError('User', id);
    return user;
  }
}
