import { type GrantTarget, hasClearance } from '#access';
import { type AuditEntryView, AuditTrail, type Snapshot } from '#audit';
import { type Actor, DEFAULT_VISIBILITY, type Page, type WriteContext } from '#common';
import { archiveRecord, paginate, recordMeta, restoreRecord, updateVersioned } from '#database';
import { Keyring } from '#encryption';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { CaseEntity } from '../cases/case.entity.js';
import { PersonEntity } from '../persons/person.entity.js';
import {
  assertMayWriteRestricted,
  caseVisible,
  childVisible,
  findVisible,
  personVisible,
  type SqlCondition,
  where,
} from '../visibility.js';
import type { CreateNoteDto, UpdateNoteDto } from './note.dto.js';
import { NoteEntity } from './note.entity.js';
import type { NoteView } from './note.view.js';

const BODY_FIELD = 'note.body';

export interface NoteParent {
  kind: 'person' | 'case';
  id: string;
}

function parentOf(note: NoteEntity): NoteParent {
  return note.personId ? { kind: 'person', id: note.personId } : { kind: 'case', id: note.caseId! };
}

function snapshot(n: NoteEntity): Snapshot {
  // The body as stored: encrypted.
  return { body: n.body, visibility: n.visibility, archivedAt: n.archivedAt?.toISOString() ?? null };
}

/**
 * Notes in a person's or a case's file. Bodies are encrypted at rest. A note is seen by whoever
 * may see its person or case, except restricted notes, which need clearance on that person or case.
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly keyring: Keyring,
  ) {}

  async create(parent: NoteParent, dto: CreateNoteDto, context: WriteContext): Promise<NoteView> {
    return this.dataSource.transaction(async (manager) => {
      await this.findParent(manager, parent, context.actor);
      await assertMayWriteRestricted(manager, context.actor, parent.kind, parent.id, { visibility: dto.visibility });
      const repo = manager.getRepository(NoteEntity);
      const saved = await repo.save(
        repo.create({
          personId: parent.kind === 'person' ? parent.id : null,
          caseId: parent.kind === 'case' ? parent.id : null,
          body: this.keyring.encrypt(dto.body, BODY_FIELD),
          visibility: dto.visibility ?? DEFAULT_VISIBILITY,
          authorLabel: context.actor.label,
        }),
      );
      const note = await this.find(manager, saved.id, context.actor);
      await this.record(manager, context, 'create', null, note);
      return this.view(note);
    });
  }

  async listOf(parent: NoteParent, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<NoteView>> {
    const manager = this.dataSource.manager;
    await this.findParent(manager, parent, reader);
    const qb = manager.createQueryBuilder(NoteEntity, 'note').where('note.archivedAt IS NULL');
    qb.andWhere(parent.kind === 'person' ? 'note.personId = :parentId' : 'note.caseId = :parentId', {
      parentId: parent.id,
    });
    where(qb, childVisible(reader, 'note', parent.kind, parent.kind === 'person' ? 'note.personId' : 'note.caseId'));
    const result = await paginate(qb, [{ column: 'note.seq', read: (n) => n.seq, cast: 'bigint' }], page);
    return { items: result.items.map((n) => this.view(n)), nextCursor: result.nextCursor };
  }

  async get(id: string, reader: Actor): Promise<NoteView> {
    return this.view(await this.find(this.dataSource.manager, id, reader));
  }

  async update(id: string, dto: UpdateNoteDto, version: number, context: WriteContext): Promise<NoteView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true });
      const parent = parentOf(before);
      await assertMayWriteRestricted(manager, context.actor, parent.kind, parent.id, { visibility: dto.visibility });
      const bodyChanged = dto.body !== undefined && dto.body !== this.keyring.decrypt(before.body, BODY_FIELD);
      await updateVersioned(
        manager,
        NoteEntity,
        id,
        { body: bodyChanged ? this.keyring.encrypt(dto.body!, BODY_FIELD) : undefined, visibility: dto.visibility },
        version,
      );
      const after = await this.find(manager, id, context.actor);
      await this.record(manager, context, 'update', before, after);
      return this.view(after);
    });
  }

  async archive(id: string, version: number, context: WriteContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true });
      await archiveRecord(manager, NoteEntity, id, version);
      await this.record(
        manager,
        context,
        'archive',
        before,
        await this.find(manager, id, context.actor, { state: 'any' }),
      );
    });
  }

  async restore(id: string, context: WriteContext): Promise<NoteView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, id, context.actor, { lock: true, state: 'any' });
      if (before.archivedAt) {
        await restoreRecord(manager, NoteEntity, id);
        await this.record(manager, context, 'restore', before, await this.find(manager, id, context.actor));
      }
      return this.view(await this.find(manager, id, context.actor));
    });
  }

  async history(id: string, page: { limit?: number; cursor?: string }, reader: Actor): Promise<Page<AuditEntryView>> {
    const manager = this.dataSource.manager;
    const note = await this.find(manager, id, reader, { state: 'any' });
    const parent = parentOf(note);
    return this.audit.history('note', id, page, {
      clearance: await hasClearance(manager, reader, parent.kind, parent.id),
      encryptedFields: ['body'],
      parent: { entityType: parent.kind, entityId: parent.id },
    });
  }

  private async findParent(manager: EntityManager, parent: NoteParent, reader: Actor): Promise<void> {
    if (parent.kind === 'person')
      await findVisible(manager, PersonEntity, 'person', parent.id, [personVisible(reader)]);
    else await findVisible(manager, CaseEntity, 'case', parent.id, [caseVisible(reader)]);
  }

  /** A note the reader may see: its person or case visible and live, and clearance if restricted. */
  private find(
    manager: EntityManager,
    id: string,
    reader: Actor,
    options: { lock?: boolean; state?: 'live' | 'any' } = {},
  ): Promise<NoteEntity> {
    const person = personVisible(reader);
    const visibleCase = caseVisible(reader);
    const byParent = (target: GrantTarget, path: string): SqlCondition => childVisible(reader, 'note', target, path);
    const personNote = byParent('person', 'note.personId');
    const caseNote = byParent('case', 'note.caseId');
    return findVisible(manager, NoteEntity, 'note', id, [], {
      ...options,
      join: (qb: SelectQueryBuilder<NoteEntity>) =>
        qb
          .leftJoin('note.person', 'person', `person.archivedAt IS NULL AND ${person.sql}`, person.params)
          .leftJoin('note.case', 'case', `case.archivedAt IS NULL AND ${visibleCase.sql}`, visibleCase.params)
          .andWhere(
            `((note.personId IS NOT NULL AND person.id IS NOT NULL AND ${personNote.sql}) OR ` +
              `(note.caseId IS NOT NULL AND case.id IS NOT NULL AND ${caseNote.sql}))`,
            { ...personNote.params, ...caseNote.params },
          ),
    });
  }

  private view(n: NoteEntity): NoteView {
    return recordMeta(n, {
      personId: n.personId,
      caseId: n.caseId,
      body: this.keyring.decrypt(n.body, BODY_FIELD),
      visibility: n.visibility,
      author: n.authorLabel,
    });
  }

  private record(
    manager: EntityManager,
    context: WriteContext,
    action: 'create' | 'update' | 'archive' | 'restore',
    before: NoteEntity | null,
    after: NoteEntity,
  ): Promise<void> {
    return this.audit.recordChange(manager, context, action, 'note', snapshot, before, after);
  }
}
