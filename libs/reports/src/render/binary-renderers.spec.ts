import { describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { setTimeout as delay, setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ReportDocument } from '../document.js';
import { renderDocx } from './docx.js';
import { renderPdf } from './pdf.js';
import { renderXlsx } from './xlsx.js';

const MARKING = 'INTERNAL - do not distribute';
const FOOTER = 'Qamqor Monitor · 3 March 2025 · for partner organisations';
const KAZAKH = 'Әлия Қасымқызы Ұлықбек Үмбетов Һ І Ң Ғ Ө';
/** Taller than a page in a table cell: it must be split over pages without losing a word. */
const TESTIMONY = Array.from({ length: 450 }, (_, index) => `свидетельство-${index}`).join(' ');
const TIMELINE_ROWS = 70;

function dossier(marking: string | null): ReportDocument {
  const timeline = Array.from({ length: TIMELINE_ROWS }, (_, index) => [
    `2024-${String((index % 12) + 1).padStart(2, '0')}-15`,
    `Судебное заседание № ${index + 1}, Алматинский городской суд`,
    index === 30 ? TESTIMONY : `Адвокат: ${KAZAKH}`,
  ]);
  return {
    language: 'kk-KZ',
    title: 'Жанболат Мамай',
    subtitle: 'Urgent Action · journalist detained in Almaty',
    marking,
    footer: FOOTER,
    blocks: [
      { type: 'heading', level: 1, text: 'Кім ол' },
      { type: 'paragraph', style: 'lead', text: 'Журналист Жанболат Мамай задержан 10 февраля 2023 года.' },
      {
        type: 'fields',
        rows: [
          { label: 'Имя', value: 'Жанболат Мамай' },
          { label: 'Родственники', value: KAZAKH },
        ],
      },
      { type: 'list', ordered: true, items: ['Write to the Prosecutor General', 'Share the case'] },
      { type: 'list', items: ['Ата-аналар хабардар етілді'] },
      { type: 'heading', level: 2, text: 'Timeline' },
      {
        type: 'table',
        columns: [
          { key: 'date', label: 'Date', width: 0.2 },
          { key: 'event', label: 'Event' },
          { key: 'notes', label: 'Notes' },
        ],
        rows: timeline,
      },
      {
        type: 'paragraph',
        style: 'letter',
        text: 'Уважаемый Генеральный прокурор,\nпрошу освободить Жанболата Мамая.',
      },
    ],
    sheet: {
      name: 'Dossier: Мамай',
      columns: [
        { key: 'section', label: 'Section' },
        { key: 'item', label: 'Item' },
        { key: 'value', label: 'Value' },
      ],
      rows: [
        ['Person', 'Name', 'Жанболат Мамай'],
        ['Person', 'Relatives', KAZAKH],
      ],
    },
    summary: null,
  };
}

const LIST_COLUMNS = ['Name', 'Region', 'Status', 'Since'].map((label) => ({ key: label.toLowerCase(), label }));
const LIST_LENGTH = 3000;
const listRow = (index: number) => [`Жанболат Мамай ${index}`, 'Алматы', 'Задержан', '2024-01-05'];

/** A campaign list whose rows arrive one at a time, telling `onRow` before each is handed over. */
function campaignList(
  marking: string | null,
  onRow: (index: number) => void = () => undefined,
  length = LIST_LENGTH,
): ReportDocument {
  async function* rows() {
    for (let index = 1; index <= length; index++) {
      onRow(index);
      yield listRow(index);
    }
  }
  return {
    language: 'ru',
    title: 'Campaign list',
    subtitle: null,
    marking,
    footer: FOOTER,
    blocks: [{ type: 'table', columns: LIST_COLUMNS, rows: rows() }],
    sheet: { name: 'Persons', columns: LIST_COLUMNS, rows: rows() },
    summary: { name: 'Summary', rows: [{ label: 'Всего', value: String(length) }] },
  };
}

/** A writable that keeps what it receives, and can stop taking it, to watch the renderers from the outside. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  private held: (() => void) | null = null;
  private stalled = false;

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    this.held?.();
    this.held = null;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    if (this.stalled) this.held = done;
    else done();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type Renderer = (doc: ReportDocument, out: Writable) => Promise<void>;

/**
 * Renders a campaign list into a reader that stops taking data, and counts the rows read by the time the reader is
 * full, a little later, and in all once it reads again. A renderer that buffers instead of waiting reads on.
 */
async function rowsReadAgainstStalledReader(render: Renderer, length: number) {
  let read = 0;
  const sink = new Sink(4 * 1024);
  sink.stall();
  const rendering = render(
    campaignList(null, (index) => (read = index), length),
    sink,
  );
  while (!sink.writableNeedDrain) await nextTurn();
  const whenFull = read;
  await delay(50);
  const later = read;
  sink.resume();
  await rendering;
  return { whenFull, later, total: read };
}

async function pdfPages(file: Buffer): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(file), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    // The page's lines as pdfjs reads them, each ending with a newline.
    const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
    pages.push(text.endsWith('\n') ? text : `${text}\n`);
  }
  await pdf.destroy();
  return pages;
}

const pageObjects = (file: Buffer) => file.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

describe('renderPdf', () => {
  it('draws a dossier with searchable Kazakh text, the marking and footer on every page', async () => {
    const sink = new Sink();
    await renderPdf(dossier(MARKING), sink);
    const file = sink.bytes;
    const pages = await pdfPages(file);
    const text = pages.join('\n');

    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain('Жанболат Мамай');
    expect(text).toContain(KAZAKH);
    expect(text).toContain('2024-10-15 Судебное заседание № 70,\nАлматинский городской суд');
    pages.forEach((page, index) => {
      expect(page).toContain(MARKING);
      expect(page).toMatch(new RegExp(`${FOOTER}\\s+${index + 1} / ${pages.length}\n`));
    });
    // The table's header row is repeated on every page the table runs onto.
    const tablePages = pages.filter((page) => page.includes('Судебное заседание'));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const page of tablePages) {
      // Rows are kept whole: below the header comes a row's first line, or the rest of the row taller than a page.
      expect(page.split('Date Event Notes\n')[1]).toMatch(/^(2024-\d\d-15 |свидетельство-)/);
    }
    // The testimony taller than a page is split over pages, every word kept once.
    for (const word of ['свидетельство-0', 'свидетельство-225', 'свидетельство-449']) {
      expect(text.split(/\s+/).filter((token) => token === word)).toHaveLength(1);
    }
    expect(file.toString('latin1')).toContain('/Lang (kk-KZ)');
    const pdf = await getDocument({ data: new Uint8Array(file), verbosity: 0 }).promise;
    expect((await pdf.getMetadata()).info).toMatchObject({ Title: 'Жанболат Мамай' });
    await pdf.destroy();
  });

  it('leaves the marking off public reports', async () => {
    const sink = new Sink();
    await renderPdf(dossier(null), sink);
    const pages = await pdfPages(sink.bytes);
    for (const page of pages) {
      expect(page).not.toContain(MARKING);
      expect(page).toContain(FOOTER);
    }
  });

  it('streams a table of 3,000 async rows page by page, with header, marking and footer on every page', async () => {
    const sink = new Sink();
    let pagesAtLastRow = 0;
    const doc = campaignList(MARKING, (index) => {
      if (index === LIST_LENGTH) pagesAtLastRow = pageObjects(sink.bytes);
    });
    await renderPdf(doc, sink);
    const pages = await pdfPages(sink.bytes);

    expect(pages.length).toBeGreaterThan(20);
    // All but the page being drawn had reached `out` before the last row was read.
    expect(pagesAtLastRow).toBeGreaterThanOrEqual(pages.length - 1);
    pages.forEach((page, index) => {
      expect(page).toContain(MARKING);
      // The page count is unknown while rows stream in.
      expect(page).toMatch(new RegExp(`${FOOTER}\\s+${index + 1}\n`));
      expect(page).toContain('Name Region Status Since\n');
    });
    const text = pages.join('');
    for (const index of [1, 1500, LIST_LENGTH]) expect(text).toContain(`${listRow(index).join(' ')}\n`);
  });

  it('waits for a slow reader rather than buffering the document', async () => {
    const { whenFull, later, total } = await rowsReadAgainstStalledReader(renderPdf, 1000);
    expect(whenFull).toBeLessThan(500);
    expect(later - whenFull).toBeLessThanOrEqual(1);
    expect(total).toBe(1000);
  });
});

describe('renderDocx', () => {
  async function parts(doc: ReportDocument) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await renderDocx(doc, out);
    const zip = await JSZip.loadAsync(Buffer.concat(chunks));
    const read = (name: string) => zip.file(name)!.async('string');
    const headers = await Promise.all(zip.file(/^word\/header\d*\.xml$/).map((file) => file.async('string')));
    const footers = await Promise.all(zip.file(/^word\/footer\d*\.xml$/).map((file) => file.async('string')));
    return { zip, read, headers, footers };
  }

  it('writes an Office Open XML document with Word headings, lists, repeating table headers and the marking', async () => {
    const { zip, read, headers, footers } = await parts(dossier(MARKING));
    expect(zip.file('[Content_Types].xml')).not.toBeNull();
    const document = await read('word/document.xml');

    expect(document).toContain('Жанболат Мамай');
    expect(document).toContain(KAZAKH);
    expect(document).toContain('Судебное заседание № 70, Алматинский городской суд');
    expect(document).toContain(TESTIMONY);
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    expect(document).toContain('<w:pStyle w:val="Title"/>');
    expect(document.match(/<w:tblHeader\/>/g)).toHaveLength(1);
    expect(document).toContain('<w:numPr>');
    // The letter's line break is a Word line break.
    expect(document).toMatch(/Уважаемый Генеральный прокурор,<\/w:t><\/w:r><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:br\/>/);
    expect(await read('word/styles.xml')).toContain('<w:lang w:val="kk-KZ"/>');
    expect(await read('docProps/core.xml')).toContain('<dc:title>Жанболат Мамай</dc:title>');
    expect(headers.some((header) => header.includes(MARKING))).toBe(true);
    expect(footers.some((footer) => footer.includes(FOOTER) && footer.includes('NUMPAGES'))).toBe(true);
  });

  it('has no marking in public reports', async () => {
    const { headers, read } = await parts(dossier(null));
    expect(headers.join('')).not.toContain(MARKING);
    expect(await read('word/document.xml')).not.toContain(MARKING);
  });

  it('collects a streamed table', async () => {
    const { read } = await parts(campaignList(null, undefined, 300));
    const document = await read('word/document.xml');
    expect(document.match(/<w:tr>/g)).toHaveLength(301);
    expect(document).toContain('Жанболат Мамай 300<');
  });
});

describe('renderXlsx', () => {
  async function workbook(doc: ReportDocument, sink = new Sink()) {
    await renderXlsx(doc, sink);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(sink.bytes as unknown as ArrayBuffer);
    return book;
  }

  it('streams the rows of an internal list under the marking, with a summary sheet', async () => {
    const sink = new Sink();
    let bytesAtLastRow = 0;
    const doc = campaignList(MARKING, (index) => {
      if (index === LIST_LENGTH) bytesAtLastRow = sink.bytes.length;
    });
    const book = await workbook(doc, sink);
    const [sheet, summary] = book.worksheets;

    // Compressed rows reached `out` while rows were still being read (zlib holds back its last block or two).
    expect(bytesAtLastRow).toBeGreaterThan(sink.bytes.length / 3);
    expect(sheet!.name).toBe('Persons');
    expect(sheet!.getCell('A1').value).toBe(MARKING);
    expect(sheet!.getRow(2).values).toEqual([undefined, 'Name', 'Region', 'Status', 'Since']);
    expect(sheet!.getRow(2).font).toMatchObject({ bold: true });
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet!.autoFilter).toBe('A2:D2');
    expect(sheet!.headerFooter.oddHeader).toContain(MARKING);
    expect(sheet!.headerFooter.oddFooter).toContain(FOOTER);
    expect(sheet!.rowCount).toBe(LIST_LENGTH + 2);
    expect(sheet!.getRow(LIST_LENGTH + 2).values).toEqual([undefined, ...listRow(LIST_LENGTH)]);
    expect(sheet!.getColumn(1).width).toBeGreaterThanOrEqual('Name'.length + 2);
    expect(summary!.name).toBe('Summary');
    expect(summary!.getCell('A1').value).toBe(MARKING);
    expect(summary!.getRow(2).values).toEqual([undefined, 'Всего', String(LIST_LENGTH)]);
    expect(summary!.headerFooter.oddHeader).toContain(MARKING);
    expect(book.title).toBe('Campaign list');
    expect(book.creator).toBe(FOOTER);
    const core = await (await JSZip.loadAsync(sink.bytes)).file('docProps/core.xml')!.async('string');
    expect(core).toContain('<dc:language>ru</dc:language>');
  });

  it('starts a public sheet with its header row', async () => {
    const book = await workbook(dossier(null));
    const [sheet] = book.worksheets;
    expect(book.worksheets).toHaveLength(1);
    // Excel does not allow a colon in a sheet name.
    expect(sheet!.name).toBe('Dossier Мамай');
    expect(sheet!.getRow(1).values).toEqual([undefined, 'Section', 'Item', 'Value']);
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet!.getRow(3).values).toEqual([undefined, 'Person', 'Relatives', KAZAKH]);
    expect(sheet!.headerFooter.oddHeader ?? '').not.toContain(MARKING);
    expect(sheet!.rowCount).toBe(3);
  });

  it('waits for a slow reader rather than buffering the workbook', async () => {
    // zlib holds back its output for a while: it takes a few thousand rows to fill the reader.
    const { whenFull, later, total } = await rowsReadAgainstStalledReader(renderXlsx, LIST_LENGTH);
    expect(whenFull).toBeLessThan(LIST_LENGTH);
    expect(later - whenFull).toBeLessThanOrEqual(1);
    expect(total).toBe(LIST_LENGTH);
  });
});

describe.each([
  ['renderPdf', renderPdf],
  ['renderDocx', renderDocx],
  ['renderXlsx', renderXlsx],
])('%s', (_name, render: Renderer) => {
  it('rejects and destroys the output when the rows fail', async () => {
    async function* failing() {
      yield listRow(1);
      throw new Error('cursor lost');
    }
    const doc = campaignList(MARKING);
    const rows = failing();
    const sink = new Sink();
    await expect(
      render({ ...doc, blocks: [{ type: 'table', columns: LIST_COLUMNS, rows }], sheet: { ...doc.sheet, rows } }, sink),
    ).rejects.toThrow('cursor lost');
    expect(sink.destroyed).toBe(true);
  });
});

describe.each([
  ['renderPdf', renderPdf],
  ['renderXlsx', renderXlsx],
])('%s', (_name, render: Renderer) => {
  it('stops reading rows when the reader goes away', async () => {
    let read = 0;
    const sink = new Sink();
    const doc = campaignList(null, (index) => {
      read = index;
      if (index === 100) sink.destroy();
    });
    await expect(render(doc, sink)).rejects.toThrow('Premature close');
    expect(read).toBeLessThan(110);
  });
});
