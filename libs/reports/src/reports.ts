/** What can be exported, for whom, in which file format. */
export const REPORT_KINDS = ['dossier', 'campaign'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * Who a report is for. `public` carries only material marked public; `internal` also internal
 * material and is marked "do not distribute" on every page. Restricted material is never exported.
 */
export const AUDIENCES = ['public', 'internal'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const REPORT_FORMATS = ['pdf', 'docx', 'html', 'csv', 'xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FORMAT_MEDIA: Record<ReportFormat, { contentType: string; extension: string }> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
};
