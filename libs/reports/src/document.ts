/**
 * A report laid out for reading, already localised: presenters (`present/`) make it from the
 * report data, and each format's renderer (`render/`) only decides how blocks look. Strings are
 * final text (dates, statuses and labels translated); renderers escape them for their format.
 */
export interface TableColumn {
  key: string;
  label: string;
  /** Relative width for paged formats (PDF, DOCX); columns without one share the rest. */
  width?: number;
}

/** Rows may be a stream (campaign lists): read once, by one renderer. */
export type Rows = Iterable<string[]> | AsyncIterable<string[]>;

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; style?: 'lead' | 'muted' | 'strong' | 'letter' }
  | { type: 'fields'; rows: { label: string; value: string }[] }
  | { type: 'list'; items: string[]; ordered?: boolean }
  | { type: 'table'; columns: TableColumn[]; rows: Rows };

export interface ReportDocument {
  /** BCP 47 tag of the labels (`lang` of the HTML, language of the DOCX). */
  language: string;
  title: string;
  subtitle: string | null;
  /** "INTERNAL - do not distribute" on every page of internal reports; null for public ones. */
  marking: string | null;
  /** At the foot of every page: who issued it, when, and for which audience. */
  footer: string;
  /** The document, top to bottom, for PDF, DOCX and HTML. */
  blocks: Block[];
  /**
   * The same report as one table, for CSV and the first sheet of XLSX: a campaign list's rows,
   * a dossier's facts as section / item / value. Its rows may be the same stream as a block's:
   * a renderer reads either the blocks or this, never both.
   */
  sheet: { name: string; columns: TableColumn[]; rows: Rows };
  /** Figures shown before the rows (the campaign list summary); a second XLSX sheet. */
  summary: { name: string; rows: { label: string; value: string }[] } | null;
}
