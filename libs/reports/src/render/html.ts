import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Block, ReportDocument, TableColumn } from '../document.js';

/**
 * A complete HTML5 page, printable on A4: tables break across pages with their header row on
 * each, and the marking and the footer are on every printed page. Every string is escaped.
 * The page is written as it is made, a table row at a time (a campaign list's rows are a
 * stream), through `pipeline`, which waits for `out` to drain when it is full and destroys it
 * if the report fails half-way, so that a broken file is never taken for a whole one.
 */
export async function renderHtml(doc: ReportDocument, out: Writable): Promise<void> {
  await pipeline(Readable.from(page(doc)), out);
}

/*
 * In print, the marking and the footer are `position: fixed`, which repeats them on every page;
 * the frame's header and footer rows (repeated on every page too) keep the space they cover
 * free of text. On screen the marking is a banner at the top and the frame is invisible.
 */
const STYLE = `
@page { size: A4; margin: 14mm 16mm; }
* { box-sizing: border-box; }
html { color: #1a1a1a; font: 10.5pt/1.45 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm; }
.marking { background: #a50e0e; color: #fff; font-weight: bold; text-align: center; padding: 2mm;
  letter-spacing: 0.04em; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.frame { width: 100%; border-collapse: collapse; }
.frame > thead > tr > td, .frame > tfoot > tr > td, .frame > tbody > tr > td { padding: 0; }
.frame-space { display: none; }
h1 { font-size: 15pt; margin: 8mm 0 3mm; }
h1.title { font-size: 20pt; line-height: 1.2; margin: 6mm 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #c8ccd2; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p, li, dd, td, th { white-space: pre-line; overflow-wrap: anywhere; }
p { margin: 0 0 2.5mm; }
.subtitle, .muted { color: #5f6368; }
.lead { font-size: 12pt; }
.strong { font-weight: bold; }
.letter { font-family: Georgia, 'DejaVu Serif', serif; margin-left: 6mm; }
.fields { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 5mm; margin: 0 0 3mm; }
.fields dt { font-weight: bold; color: #5f6368; }
.fields dd { margin: 0; }
.data { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 0 0 3mm; }
.data th, .data td { border: 1px solid #c8ccd2; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
.data th { background: #eceff3; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.data thead { display: table-header-group; }
.data tr { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #c8ccd2; color: #5f6368; font-size: 8pt; }
@media print {
  body { max-width: none; padding: 0; }
  .marking { position: fixed; top: 0; left: 0; right: 0; }
  footer { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; background: #fff; }
  .frame-space { display: block; height: 12mm; }
}
`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

async function* page(doc: ReportDocument): AsyncGenerator<string> {
  const marking = doc.marking ? `<div class="marking" role="note">${escapeHtml(doc.marking)}</div>\n` : '';
  yield [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(doc.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `${marking}<table class="frame">`,
    '<thead><tr><td><div class="frame-space"></div></td></tr></thead>',
    '<tfoot><tr><td><div class="frame-space"></div></td></tr></tfoot>',
    '<tbody><tr><td>',
    '<main>',
    `<h1 class="title">${escapeHtml(doc.title)}</h1>`,
    doc.subtitle ? `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>` : '',
    '',
  ].join('\n');
  for (const block of doc.blocks) yield* blockHtml(block);
  yield [
    '</main>',
    '</td></tr></tbody>',
    '</table>',
    `<footer>${escapeHtml(doc.footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

async function* blockHtml(block: Block): AsyncGenerator<string> {
  switch (block.type) {
    case 'heading':
      yield `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>\n`;
      break;
    case 'paragraph':
      yield `<p${block.style ? ` class="${block.style}"` : ''}>${escapeHtml(block.text)}</p>\n`;
      break;
    case 'fields':
      yield `<dl class="fields">${block.rows.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('')}</dl>\n`;
      break;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      yield `<${tag}>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</${tag}>\n`;
      break;
    }
    case 'table':
      yield tableHead(block.columns);
      for await (const row of block.rows)
        yield `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>\n`;
      yield '</tbody></table>\n';
      break;
  }
}

/** Widths as shares of the page: columns without one get an equal share each. */
function tableHead(columns: TableColumn[]): string {
  const total = columns.reduce((sum, column) => sum + (column.width ?? 1), 0);
  const cols = columns.map((c) => `<col style="width:${(((c.width ?? 1) / total) * 100).toFixed(2)}%">`).join('');
  const headers = columns.map((column) => `<th scope="col">${escapeHtml(column.label)}</th>`).join('');
  return `<table class="data"><colgroup>${cols}</colgroup><thead><tr>${headers}</tr></thead><tbody>\n`;
}
