import { ChunkStore } from '#database';
import { Injectable } from '@nestjs/common';
import type { Readable, Writable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { IMPORT_CHUNKS } from './import.entity.js';

/** Uploaded files, stored in PostgreSQL chunks under their import's id until the import has finished. */
@Injectable()
export class ImportFiles {
  private readonly chunks: ChunkStore;

  constructor(private readonly dataSource: DataSource) {
    this.chunks = new ChunkStore(dataSource, IMPORT_CHUNKS);
  }

  writer(importId: string): Writable & { bytesStored: () => number } {
    return this.chunks.writer(importId);
  }

  reader(importId: string): Readable {
    return this.chunks.reader(importId);
  }

  /** The first stored chunk (up to 512 KB): enough to tell what the file is. */
  async head(importId: string): Promise<Buffer> {
    const [first] = await this.dataSource.query<Array<{ data: Buffer }>>(
      'SELECT data FROM import_chunks WHERE import_id = $1 AND position = 0',
      [importId],
    );
    return first?.data ?? Buffer.alloc(0);
  }

  remove(importIds: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    return this.chunks.remove(manager, importIds);
  }
}
