import { Worker } from 'node:worker_threads';
import type { Header } from './columns.js';
import { parseRow, type RawRow, type RowResult } from './row-parser.js';

/** Files smaller than this are checked on the importing thread: a worker thread takes a moment to start. */
const THREAD_FROM_BYTES = 1024 * 1024;

/**
 * Checks rows (`parseRow`: the API's DTOs and validators, most of an import's CPU) on a worker
 * thread of their own, so that the import's thread plans and writes one batch while the next is
 * checked. Its young generation is larger than Node's default: validation makes many short-lived
 * objects. The thread runs the compiled code; where there is none (the test runner loads the
 * TypeScript sources) and for small files the rows are checked on the calling thread, by the same
 * function. The results are the same either way (DTOs arrive as plain objects from the thread).
 */
export class RowParsers {
  private readonly worker: Worker | null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: RowResult[]) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(byteSize: number) {
    const compiled = import.meta.url.endsWith('.js');
    this.worker =
      compiled && byteSize >= THREAD_FROM_BYTES
        ? new Worker(new URL('./parse-worker.js', import.meta.url), {
            resourceLimits: { maxYoungGenerationSizeMb: 128 },
          })
        : null;
    this.worker?.on('message', (message: { id: number; results?: RowResult[]; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.results) waiting?.resolve(message.results);
      else waiting?.reject(new Error(`checking rows failed: ${message.error}`));
    });
    this.worker?.on('error', (error) => this.fail(error));
    this.worker?.on('exit', (code) => this.fail(new Error(`the row checking thread stopped (exit code ${code})`)));
  }

  /** The rows checked, in their order. */
  parse(header: Header, rows: RawRow[]): Promise<RowResult[]> {
    if (!this.worker) return Promise.resolve(rows.map((row) => parseRow(header, row)));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, header, rows });
    });
  }

  async close(): Promise<void> {
    if (!this.worker) return;
    this.failure ??= new Error('closed');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
