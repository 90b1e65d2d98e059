import { Readable, Writable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import { ExportChunkEntity } from './export.entity.js';

/** Bytes per stored chunk: few rows for a large file, little memory while writing one. */
const CHUNK_BYTES = 512 * 1024;

/**
 * A file stored in PostgreSQL as ordered `bytea` chunks, so that an API and a worker on
 * different machines reach the same files without shared disks. Written and read as streams:
 * neither side holds a whole file in memory.
 */
export class ChunkStore {
  constructor(private readonly dataSource: DataSource) {}

  /** A stream that stores what is written to it; `finish` comes after the last chunk is stored. */
  writer(exportId: string): Writable & { bytesStored: () => number } {
    const manager = this.dataSource.manager;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let position = 0;
    let stored = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await manager.insert(ExportChunkEntity, { exportId, position: position++, data });
      stored += data.length;
    };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < CHUNK_BYTES) return done();
        flush().then(() => done(), done);
      },
      final(done) {
        flush().then(() => done(), done);
      },
    });
    return Object.assign(stream, { bytesStored: () => stored });
  }

  /** Reads the file back chunk by chunk, one row per query. */
  reader(exportId: string): Readable {
    const manager = this.dataSource.manager;
    let position = 0;
    return new Readable({
      read() {
        manager
          .findOne(ExportChunkEntity, { where: { exportId, position } })
          .then((chunk) => {
            position += 1;
            this.push(chunk ? chunk.data : null);
          })
          .catch((error: Error) => this.destroy(error));
      },
    });
  }

  async remove(manager: EntityManager, exportIds: string[]): Promise<void> {
    if (exportIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .delete()
      .from(ExportChunkEntity)
      .where('exportId IN (:...exportIds)', { exportIds })
      .execute();
  }
}
