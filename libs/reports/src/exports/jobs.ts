/**
 * The job contract between the API (producer) and the worker (consumer): the export id only.
 * The worker re-reads the export from PostgreSQL, which alone says what to render.
 */
export const EXPORT_QUEUE = 'exports';

export interface ExportJob {
  exportId: string;
}

/** One job per export, however often it is enqueued (uuids carry no `:`, which BullMQ refuses). */
export function exportJobId(exportId: string): string {
  return `export-${exportId}`;
}

/** Attempts before an export is `failed` (a worker killed mid-render counts as one). */
export const EXPORT_ATTEMPTS = 3;
