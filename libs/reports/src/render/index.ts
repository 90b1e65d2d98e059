import type { Writable } from 'node:stream';
import type { ReportDocument } from '../document.js';
import { presentCampaignList } from '../present/campaign-list.js';
import { presentDossier } from '../present/dossier.js';
import type { CampaignListData, DossierData } from '../report-data.js';
import { FORMAT_MEDIA, type ReportFormat } from '../reports.js';
import { renderCsv } from './csv.js';
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderPdf } from './pdf.js';
import { renderXlsx } from './xlsx.js';

type DocumentRenderer = (doc: ReportDocument, out: Writable) => Promise<void>;

const RENDERERS: Record<Exclude<ReportFormat, 'json'>, DocumentRenderer> = {
  pdf: renderPdf,
  docx: renderDocx,
  html: renderHtml,
  csv: renderCsv,
  xlsx: renderXlsx,
};

/**
 * Writes a report in `format` to `out` and ends it: JSON is the data itself; every other format
 * draws the localised document. Rejects (and destroys `out`) when the report cannot be written.
 * Either kind of data is told apart by its rows (builders type `meta.kind` loosely).
 */
export async function renderReport(
  data: DossierData | CampaignListData,
  format: ReportFormat,
  out: Writable,
): Promise<void> {
  if (format === 'json') return renderJson(data, out);
  const doc = 'rows' in data ? presentCampaignList(data) : presentDossier(data);
  await RENDERERS[format](doc, out);
}

/**
 * The download name: `zhanbolat-mamay-dossier-2026-11-21.pdf`, `campaign-list-internal-2026-11-21.xlsx`.
 * ASCII only, so that it survives every browser, mail client and file system.
 */
export function reportFileName(data: DossierData | CampaignListData, format: ReportFormat): string {
  const subject = 'rows' in data ? 'campaign-list' : [personSlug(data), 'dossier'].filter(Boolean).join('-');
  const edition = data.meta.audience === 'internal' ? '-internal' : '';
  return `${subject}${edition}-${data.meta.issuedOn}.${FORMAT_MEDIA[format].extension}`;
}

/** The first of the person's names (the preferred one first) that gives a slug. */
function personSlug({ person }: DossierData): string {
  const preferred = person.names.find((name) => name.preferred)?.value ?? person.displayName;
  const candidates = [preferred, person.displayName, ...person.names.map((name) => name.value)];
  return candidates.map(slug).find(Boolean) ?? '';
}

/**
 * Russian and Kazakh Cyrillic (Ә Ғ Қ Ң Ө Ұ Ү Һ І), with Ukrainian and Belarusian letters, in
 * ASCII as Kazakh passports write it ("Қоңырова" -> "konyrova").
 */
// prettier-ignore
const CYRILLIC: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'yo', є: 'ye', ж: 'zh',
  з: 'z', и: 'i', й: 'y', і: 'i', ї: 'yi', к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o',
  ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h',
  ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** "Жанболат Мамай" -> "zhanbolat-mamay"; accents dropped ("Ömer" -> "omer"); other scripts dropped. */
function slug(text: string): string {
  return [...text.toLowerCase()]
    .map((char) => CYRILLIC[char] ?? char)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
