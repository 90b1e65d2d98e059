import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { Block, ReportDocument, Rows, TableColumn } from '../document.js';

/**
 * DejaVu Sans has every letter of the Kazakh alphabet (Ә Ғ Қ Ң Ө Ұ Ү Һ І) besides Latin and Cyrillic. pdfkit embeds
 * the subset a document uses together with a ToUnicode map, so names stay searchable and can be copied out of the PDF.
 * The package has no `exports` map, so its files resolve like any module path.
 */
const resolvePackageFile = createRequire(import.meta.url).resolve;
const FONT_FILES = {
  regular: resolvePackageFile('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: resolvePackageFile('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/** A4 in points; the top margin leaves room for the marking band, the bottom one for the footer. */
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 64, bottom: 60, left: 56, right: 56 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;

const COLOR = { text: '#1a1a1a', muted: '#5f6368', rule: '#c8ccd2', headerFill: '#eceff3', marking: '#a50e0e' };

interface TextStyle {
  font: keyof typeof FONT_FILES;
  size: number;
  color: string;
  lineGap: number;
}

const style = (font: TextStyle['font'], size: number, color = COLOR.text, lineGap = size * 0.3): TextStyle => ({
  font,
  size,
  color,
  lineGap,
});

const TYPE = {
  title: style('bold', 20),
  subtitle: style('regular', 12, COLOR.muted),
  headings: { 1: style('bold', 15), 2: style('bold', 12.5), 3: style('bold', 11) },
  paragraphs: {
    body: style('regular', 10),
    lead: style('regular', 11.5),
    muted: style('regular', 9, COLOR.muted),
    strong: style('bold', 10),
    letter: style('regular', 10, COLOR.text, 4),
  },
  fieldLabel: style('bold', 9, COLOR.muted),
  tableHeader: style('bold', 8.5),
  tableCell: style('regular', 9),
  marking: style('bold', 9, '#ffffff'),
  footer: style('regular', 7.5, COLOR.muted, 1.5),
};

/** Space after a block, and before a heading that does not open a page. */
const GAP = { block: 8, listItem: 3, beforeHeading: 10 };
const CELL_PADDING = { x: 4, y: 3 };
const LIST_INDENT = 16;
const LETTER_INDENT = 18;
/** A row taller than a whole page is split, but not into the last few lines of a page. */
const MIN_SPLIT_HEIGHT = 48;
/** pdfkit drops a line that overshoots its box by a rounding error; text boxes get this much slack. */
const SLACK = 0.5;

/**
 * Draws the report as an A4 PDF and streams it to `out` while it is drawn: a table's rows (possibly an async stream
 * of a campaign list) are read one at a time and every finished page leaves memory, so a list of any length uses the
 * same memory. Pages of documents held in memory say "page / pages"; a streamed table cannot know the page count in
 * advance, so its pages only carry their number. Rejects, and destroys `out`, if drawing or writing fails.
 */
export async function renderPdf(doc: ReportDocument, out: Writable): Promise<void> {
  const countPages = doc.blocks.every((block) => block.type !== 'table' || Array.isArray(block.rows));
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    // Holding pages back until the end is what lets footers count the pages; only for documents already in memory.
    bufferPages: countPages,
    lang: doc.language,
    displayTitle: true,
    info: { Title: doc.title, ...(doc.subtitle ? { Subject: doc.subtitle } : {}) },
  });
  pdf.registerFont('regular', FONT_FILES.regular);
  pdf.registerFont('bold', FONT_FILES.bold);
  const output = new PdfOutput(pdf, out);
  try {
    const layout = new Layout(pdf, doc, countPages, output);
    await layout.draw();
    output.end();
  } catch (error) {
    out.destroy(error as Error);
  }
  await output.delivered;
}

/**
 * Moves pdfkit's output to `out` explicitly, rather than piping it: a pipe only flows on a later tick, and a row
 * stream that never waits for I/O would otherwise pile the whole document up in pdfkit's buffer.
 */
class PdfOutput {
  readonly delivered: Promise<void>;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly out: Writable,
  ) {
    // `readable: false`: a duplex `out` is done once it has taken everything, whether or not anyone reads it yet.
    this.delivered = finished(out, { readable: false });
    // Awaited in renderPdf; until then a failure of `out` must not count as an unhandled rejection.
    this.delivered.catch(() => undefined);
    pdf.once('error', (error) => out.destroy(error));
  }

  /** Hands over what is written so far and waits while `out` is full; throws once `out` has failed or closed. */
  async flush(): Promise<void> {
    for (let chunk = this.pdf.read(); chunk !== null; chunk = this.pdf.read()) this.out.write(chunk);
    if (this.out.destroyed || this.out.writableNeedDrain) {
      await Promise.race([once(this.out, 'drain'), this.delivered]);
    }
  }

  /** pdfkit finishes some objects (the font subsets) asynchronously, so the tail is piped. */
  end(): void {
    this.pdf.pipe(this.out);
    this.pdf.end();
  }
}

interface Grid {
  widths: number[];
  styles: TextStyle[];
  /** Repeated at the top of every page the grid runs onto; null for label/value rows. */
  header: string[] | null;
}

class Layout {
  private y = MARGIN.top;
  private pageCount = 0;
  /** The grid being drawn, so that a page break inside it repeats its header. */
  private grid: Grid | null = null;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly doc: ReportDocument,
    private readonly countPages: boolean,
    private readonly output: PdfOutput,
  ) {}

  async draw(): Promise<void> {
    this.addPage();
    this.titleBlock();
    for (const block of this.doc.blocks) {
      await this.block(block);
      await this.output.flush();
    }
    if (this.countPages) this.decorateBufferedPages();
  }

  private async block(block: Block): Promise<void> {
    switch (block.type) {
      case 'heading':
        return this.heading(TYPE.headings[block.level], block.text);
      case 'paragraph':
        return this.paragraph(block.text, block.style);
      case 'fields':
        return this.fields(block.rows);
      case 'list':
        return this.list(block.items, block.ordered ?? false);
      case 'table':
        return this.table(block.columns, block.rows);
    }
  }

  private titleBlock(): void {
    this.flow(this.doc.title, TYPE.title, MARGIN.left, CONTENT_WIDTH);
    if (this.doc.subtitle) {
      this.y += 2;
      this.flow(this.doc.subtitle, TYPE.subtitle, MARGIN.left, CONTENT_WIDTH);
    }
    this.y += 6;
    this.rule(this.y, 1);
    this.y += GAP.block + 4;
  }

  /** Keeps a heading with the first lines of what follows it. */
  private heading(type: TextStyle, text: string): void {
    if (!this.atPageTop()) this.y += GAP.beforeHeading;
    const followingLines = 3 * this.lineHeight(TYPE.paragraphs.body);
    this.ensureSpace(this.measure(text, type, CONTENT_WIDTH) + followingLines);
    this.flow(text, type, MARGIN.left, CONTENT_WIDTH);
    this.y += GAP.block / 2;
  }

  private paragraph(text: string, kind: keyof typeof TYPE.paragraphs = 'body'): void {
    const indent = kind === 'letter' ? LETTER_INDENT : 0;
    this.flow(text, TYPE.paragraphs[kind], MARGIN.left + indent, CONTENT_WIDTH - 2 * indent);
    this.y += GAP.block;
  }

  private list(items: string[], ordered: boolean): void {
    const type = TYPE.paragraphs.body;
    items.forEach((item, index) => {
      this.ensureSpace(this.lineHeight(type));
      this.write(ordered ? `${index + 1}.` : '•', type, MARGIN.left, this.y, LIST_INDENT, this.lineHeight(type));
      this.flow(item, type, MARGIN.left + LIST_INDENT, CONTENT_WIDTH - LIST_INDENT);
      this.y += GAP.listItem;
    });
    this.y += GAP.block - GAP.listItem;
  }

  private fields(rows: { label: string; value: string }[]): void {
    this.grid = {
      widths: [0.3, 0.7].map((share) => share * CONTENT_WIDTH),
      styles: [TYPE.fieldLabel, TYPE.paragraphs.body],
      header: null,
    };
    for (const { label, value } of rows) this.row([label, value]);
    this.grid = null;
    this.y += GAP.block;
  }

  private async table(columns: TableColumn[], rows: Rows): Promise<void> {
    const header = columns.map((column) => column.label);
    this.grid = {
      widths: columnShares(columns).map((share) => share * CONTENT_WIDTH),
      styles: columns.map(() => TYPE.tableCell),
      header,
    };
    // The header never stands alone at the foot of a page; a new page draws it by itself.
    const headerAndFirstRows = this.rowHeight(header, true) + 3 * this.lineHeight(TYPE.tableCell);
    if (!this.ensureSpace(headerAndFirstRows)) this.drawHeader(header);
    for await (const cells of rows) {
      this.row(columns.map((_, index) => cells[index] ?? ''));
      await this.output.flush();
    }
    this.grid = null;
    this.y += GAP.block;
  }

  /**
   * Draws a row of the current grid where it fits whole: on this page, else on the next one. Only a row taller than a
   * page is split, each part under the repeated header.
   */
  private row(cells: string[]): void {
    let rest = cells;
    for (;;) {
      const height = this.rowHeight(rest);
      if (height <= this.space()) return this.drawRow(rest, height);
      if (!this.atGridTop() && (height <= this.freshGridSpace() || this.space() < MIN_SPLIT_HEIGHT)) {
        this.addPage();
        continue;
      }
      const parts = rest.map((cell, index) => this.splitCell(cell, index, this.space()));
      this.drawRow(
        parts.map(([head]) => head),
        this.space(),
      );
      rest = parts.map(([, tail]) => tail);
      this.addPage();
    }
  }

  private splitCell(cell: string, column: number, height: number): [string, string] {
    const { widths, styles } = this.grid!;
    const width = widths[column]! - 2 * CELL_PADDING.x;
    const room = height - 2 * CELL_PADDING.y;
    return splitToFit(cell, (part) => this.measure(part, styles[column]!, width) <= room);
  }

  private rowHeight(cells: string[], header = false): number {
    const { widths, styles } = this.grid!;
    const heights = cells.map((cell, index) =>
      this.measure(cell, header ? TYPE.tableHeader : styles[index]!, widths[index]! - 2 * CELL_PADDING.x),
    );
    return Math.max(this.lineHeight(header ? TYPE.tableHeader : TYPE.tableCell), ...heights) + 2 * CELL_PADDING.y;
  }

  private drawHeader(header: string[]): void {
    const height = this.rowHeight(header, true);
    this.pdf.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).fill(COLOR.headerFill);
    this.drawRow(header, height, true);
  }

  private drawRow(cells: string[], height: number, header = false): void {
    const { widths, styles } = this.grid!;
    let x = MARGIN.left;
    cells.forEach((cell, index) => {
      const width = widths[index]!;
      const type = header ? TYPE.tableHeader : styles[index]!;
      this.write(cell, type, x + CELL_PADDING.x, this.y + CELL_PADDING.y, width - 2 * CELL_PADDING.x, height);
      x += width;
    });
    this.y += height;
    this.rule(this.y, header ? 0.8 : 0.4);
  }

  /** Writes text from the cursor down, continuing on new pages; the text never breaks pages by itself. */
  private flow(text: string, type: TextStyle, x: number, width: number): void {
    let rest = text;
    while (rest) {
      this.ensureSpace(this.lineHeight(type));
      const [head, tail] = splitToFit(rest, (part) => this.measure(part, type, width) <= this.space());
      this.write(head, type, x, this.y, width, this.space());
      this.y += this.measure(head, type, width);
      rest = tail;
      if (rest) this.addPage();
    }
  }

  /** `height` bounds the text box, which keeps pdfkit from adding pages of its own. */
  private write(text: string, type: TextStyle, x: number, y: number, width: number, height: number): void {
    this.apply(type).text(text, x, y, { width, height: height + SLACK, lineGap: type.lineGap });
  }

  /** The height one line takes in a text box, as pdfkit advances it. */
  private lineHeight(type: TextStyle): number {
    return this.apply(type).currentLineHeight(true) + type.lineGap;
  }

  private measure(text: string, type: TextStyle, width: number): number {
    return this.apply(type).heightOfString(text, { width, lineGap: type.lineGap });
  }

  private apply(type: TextStyle): PDFKit.PDFDocument {
    return this.pdf.font(type.font).fontSize(type.size).fillColor(type.color);
  }

  private rule(y: number, thickness: number): void {
    this.pdf
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + CONTENT_WIDTH, y)
      .lineWidth(thickness)
      .strokeColor(COLOR.rule)
      .stroke();
  }

  private space(): number {
    return CONTENT_BOTTOM - this.y;
  }

  private atPageTop(): boolean {
    return this.y <= MARGIN.top;
  }

  private atGridTop(): boolean {
    return this.y <= MARGIN.top + this.headerHeight();
  }

  private freshGridSpace(): number {
    return CONTENT_BOTTOM - MARGIN.top - this.headerHeight();
  }

  private headerHeight(): number {
    const header = this.grid!.header;
    return header ? this.rowHeight(header, true) : 0;
  }

  /** Starts a new page unless `height` fits on this one (or this one is still empty); tells whether it did. */
  private ensureSpace(height: number): boolean {
    const breaks = height > this.space() && !this.atPageTop();
    if (breaks) this.addPage();
    return breaks;
  }

  private addPage(): void {
    forgetWordLayouts(this.pdf);
    this.pdf.addPage();
    this.pageCount += 1;
    this.y = MARGIN.top;
    if (!this.countPages) this.decorate(this.pageCount, null);
    if (this.grid?.header) this.drawHeader(this.grid.header);
  }

  private decorateBufferedPages(): void {
    const { start, count } = this.pdf.bufferedPageRange();
    for (let index = 0; index < count; index++) {
      this.pdf.switchToPage(start + index);
      this.decorate(index + 1, count);
    }
  }

  /** The marking band and the footer, drawn in the margins of every page. */
  private decorate(page: number, pages: number | null): void {
    const { marking, footer } = this.doc;
    if (marking) {
      this.pdf.rect(MARGIN.left, 24, CONTENT_WIDTH, 20).fill(COLOR.marking);
      this.apply(TYPE.marking).text(marking, MARGIN.left, 29.5, {
        width: CONTENT_WIDTH,
        height: this.lineHeight(TYPE.marking),
        align: 'center',
        ellipsis: true,
      });
    }
    const footerTop = PAGE.height - MARGIN.bottom + 14;
    this.rule(footerTop - 6, 0.5);
    const numberWidth = 56;
    const footerBox = { height: 3 * this.lineHeight(TYPE.footer), lineGap: TYPE.footer.lineGap };
    this.apply(TYPE.footer).text(footer, MARGIN.left, footerTop, { ...footerBox, width: CONTENT_WIDTH - numberWidth });
    // Digits only: the renderer has no localised word for "page".
    this.pdf.text(pages ? `${page} / ${pages}` : `${page}`, MARGIN.left + CONTENT_WIDTH - numberWidth, footerTop, {
      ...footerBox,
      width: numberWidth,
      align: 'right',
    });
  }
}

/** Distinct words whose shaping is kept per font (about 2 MB): labels and common words are shaped once. */
const WORD_LAYOUTS_KEPT = 10_000;

/**
 * pdfkit keeps the shaping of every distinct word it has drawn, per font, for the life of the document: with a list of
 * thousands of names and numbers, that cache is what grows with the rows. Emptying it once it holds more than
 * `WORD_LAYOUTS_KEPT` words keeps memory flat while most words (labels, statuses, places) are shaped only once, which is
 * most of the time a PDF takes. The cache is pdfkit's internal state, hence the cast; should it change shape, this does
 * nothing.
 */
function forgetWordLayouts(pdf: PDFKit.PDFDocument): void {
  const fonts = (pdf as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies ?? {};
  for (const font of Object.values(fonts)) {
    if (font.layoutCache && Object.keys(font.layoutCache).length > WORD_LAYOUTS_KEPT) {
      font.layoutCache = Object.create(null);
    }
  }
}

/**
 * Splits text into the longest head that `fits` and the rest: at whitespace, or inside a word when not even its first
 * word fits (a long URL or number). An empty head means not one character fits.
 */
function splitToFit(text: string, fits: (part: string) => boolean): [string, string] {
  if (fits(text)) return [text, ''];
  for (const units of [text.split(/(?<=\s)/), Array.from(text)]) {
    const count = longestFittingPrefix(units, fits);
    if (count > 0) return [units.slice(0, count).join('').trimEnd(), units.slice(count).join('').trimStart()];
  }
  return ['', text];
}

function longestFittingPrefix(units: string[], fits: (part: string) => boolean): number {
  let low = 0;
  let high = units.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(units.slice(0, middle).join(''))) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Each column's share of a paged table's width. Widths are relative; columns without one share what the given
 * fractions leave (or, when the given widths are weights adding up to 1 or more, each get their average).
 */
export function columnShares(columns: TableColumn[]): number[] {
  const given = columns.flatMap((column) => (column.width === undefined ? [] : [column.width]));
  const givenTotal = given.reduce((sum, width) => sum + width, 0);
  const unsized = columns.length - given.length;
  const fallback = givenTotal < 1 ? (1 - givenTotal) / unsized : givenTotal / given.length;
  const widths = columns.map((column) => column.width ?? fallback);
  const total = widths.reduce((sum, width) => sum + width, 0);
  return widths.map((width) => width / total);
}
