import type { ImportFiles } from '#imports';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What multer hands the route for an uploaded import file. */
export interface StoredUpload {
  fieldname: string;
  originalname: string;
  /** The id of the import to be: the file's chunks are stored under it. */
  importId: string;
  size: number;
}

type Callback<T> = (error: Error | null, info?: T) => void;

/**
 * A multer storage engine that streams an uploaded file straight into PostgreSQL chunks (the
 * worker reads it from there), under a new import id: the API never holds a whole file in memory
 * nor on disk. A file cut off at the size limit, or whose upload fails, is deleted again.
 */
export class ImportUploadStorage {
  constructor(private readonly files: ImportFiles) {}

  _handleFile(
    _req: unknown,
    file: { stream: Readable & { truncated?: boolean } },
    callback: Callback<Pick<StoredUpload, 'importId' | 'size'>>,
  ): void {
    const importId = randomUUID();
    const out = this.files.writer(importId);
    pipeline(file.stream, out).then(
      () => {
        if (!file.stream.truncated) return callback(null, { importId, size: out.bytesStored() });
        // Multer reports the size limit (413) itself; only what was stored is left to remove.
        this.discard(importId, () => callback(new Error('file over the size limit')));
      },
      (error: Error) => this.discard(importId, () => callback(error)),
    );
  }

  _removeFile(_req: unknown, file: Partial<StoredUpload>, callback: Callback<never>): void {
    if (!file.importId) return callback(null);
    this.discard(file.importId, () => callback(null));
  }

  private discard(importId: string, then: () => void): void {
    // A failure here leaves chunks the reconciler deletes later.
    this.files.remove([importId]).then(then, then);
  }
}
