import { Readable, Writable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';

/** Bytes per stored chunk: few rows for a large file, little memory while writing one. */
const CHUNK_BYTES = 512 * 1024;

/**
 * Where a kind of file is stored: a table with `(<owner column>, position, data bytea)` and a
 * primary key on the first two (`export_chunks` with `export_id`, `import_chunks` with
 * `import_id`). Names come from code, never from input.
 */
export interface ChunkTable {
  table: string;
  ownerColumn: string;
}

/**
 * Files stored in PostgreSQL as ordered `bytea` chunks, so that an API and a worker on
 * different machines reach the same files without shared disks. Written and read as streams:
 * neither side holds a whole file in memory.
 */
export class ChunkStore {
  private readonly insertSql: string;
  private readonly selectSql: string;
  private readonly deleteSql: string;

  constructor(
    private readonly dataSource: DataSource,
    { table, ownerColumn }: ChunkTable,
  ) {
    const t = `"${table}"`;
    const owner = `"${ownerColumn}"`;
    this.insertSql = `INSERT INTO ${t} (${owner}, "position", "data") VALUES ($1, $2, $3)`;
    this.selectSql = `SELECT "data" FROM ${t} WHERE ${owner} = $1 AND "position" = $2`;
    this.deleteSql = `DELETE FROM ${t} WHERE ${owner} = ANY($1::uuid[])`;
  }

  /** A stream that stores what is written to it; `finish` comes after the last chunk is stored. */
  writer(ownerId: string): Writable & { bytesStored: () => number } {
    const { dataSource, insertSql } = this;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let position = 0;
    let stored = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await dataSource.query(insertSql, [ownerId, position++, data]);
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
  reader(ownerId: string): Readable {
    const { dataSource, selectSql } = this;
    let position = 0;
    return new Readable({
      read() {
        dataSource
          .query<Array<{ data: Buffer }>>(selectSql, [ownerId, position])
          .then(([chunk]) => {
            position += 1;
            this.push(chunk ? chunk.data : null);
          })
          .catch((error: Error) => this.destroy(error));
      },
    });
  }

  async remove(manager: EntityManager, ownerIds: string[]): Promise<void> {
    if (ownerIds.length === 0) return;
    await manager.query(this.deleteSql, [ownerIds]);
  }
}
