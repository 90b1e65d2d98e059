/**
 * The job contract between the API (producer) and the worker (consumer): the import id only.
 * The worker re-reads the import from PostgreSQL, which alone says what to do.
 */
export const IMPORT_QUEUE = 'imports';

export interface ImportJob {
  importId: string;
}

/** One job per import, however often it is enqueued (uuids carry no `:`, which BullMQ refuses). */
export function importJobId(importId: string): string {
  return `import-${importId}`;
}

/** Attempts before an import is `failed` (a worker killed mid-import counts as one). */
export const IMPORT_ATTEMPTS = 3;
