import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  TabStopType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphStyleOptions,
  type IRunOptions,
} from 'docx';
import type { Block, ReportDocument, Rows, TableColumn } from '../document.js';
import { columnShares } from './pdf.js';

/** A4 and its margins, in twentieths of a point. */
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1247, bottom: 1247, left: 1134, right: 1134, header: 567, footer: 567 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const COLOR = { text: '1A1A1A', muted: '5F6368', rule: 'C8CCD2', headerFill: 'ECEFF3', marking: 'A50E0E' };
/** Arial has every Kazakh letter and comes with Word everywhere; campaigners can change it in the styles. */
const FONT = 'Arial';

/** Paragraph styles of our own, so that campaigners restyle all lead or letter paragraphs at once. */
const STYLE = {
  subtitle: 'Subtitle',
  lead: 'Lead',
  muted: 'Muted',
  strong: 'StrongParagraph',
  letter: 'Letter',
  tableText: 'TableText',
} as const;

const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const LIST = { bullets: 'bullets', numbers: 'numbers' } as const;

const RULE = { style: BorderStyle.SINGLE, size: 4, color: COLOR.rule };
const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'auto' };

/**
 * Writes the report as a Word document campaigners can edit: Word's heading styles (the navigation pane works), real
 * lists, tables whose header row repeats on every page, the marking in the page header and the footer with page numbers
 * in the page footer. docx builds the whole package in memory, so a streamed table's rows are collected first.
 * Rejects, and destroys `out`, if the rows or writing fail.
 */
export async function renderDocx(doc: ReportDocument, out: Writable): Promise<void> {
  // `readable: false`: a duplex `out` is done once it has taken everything, whether or not anyone reads it yet.
  const delivered = finished(out, { readable: false });
  // Awaited below; until then a failure of `out` must not count as an unhandled rejection.
  delivered.catch(() => undefined);
  try {
    out.end(await Packer.toBuffer(await wordDocument(doc)));
  } catch (error) {
    out.destroy(error as Error);
  }
  await delivered;
}

async function wordDocument(doc: ReportDocument): Promise<Document> {
  const creator = doc.footer || doc.title;
  return new Document({
    title: doc.title,
    ...(doc.subtitle ? { subject: doc.subtitle } : {}),
    creator,
    lastModifiedBy: creator,
    styles: styles(doc.language),
    numbering: {
      config: [listConfig(LIST.bullets, LevelFormat.BULLET, '•'), listConfig(LIST.numbers, LevelFormat.DECIMAL, '%1.')],
    },
    sections: [
      {
        properties: { page: { size: PAGE, margin: MARGIN } },
        ...(doc.marking ? { headers: { default: markingHeader(doc.marking) } } : {}),
        footers: { default: pageFooter(doc.footer) },
        children: [...titleBlock(doc), ...(await body(doc.blocks))],
      },
    ],
  });
}

function titleBlock(doc: ReportDocument): Paragraph[] {
  const title = new Paragraph({ heading: HeadingLevel.TITLE, children: runs(doc.title) });
  return doc.subtitle ? [title, new Paragraph({ style: STYLE.subtitle, children: runs(doc.subtitle) })] : [title];
}

async function body(blocks: Block[]): Promise<(Paragraph | Table)[]> {
  const content: (Paragraph | Table)[] = [];
  // Each numbered list is its own instance of the numbering, so that it counts from 1.
  let numberedLists = 0;
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        content.push(new Paragraph({ heading: HEADING[block.level], children: runs(block.text) }));
        break;
      case 'paragraph':
        content.push(new Paragraph({ style: block.style && STYLE[block.style], children: runs(block.text) }));
        break;
      case 'fields':
        content.push(fieldsTable(block.rows));
        break;
      case 'list':
        content.push(...list(block.items, block.ordered ? ++numberedLists : null));
        break;
      case 'table':
        content.push(await table(block.columns, block.rows));
        break;
    }
    // Word draws two consecutive tables as one; an empty paragraph keeps them apart.
    if (block.type === 'fields' || block.type === 'table') content.push(new Paragraph({}));
  }
  return content;
}

function list(items: string[], numberedInstance: number | null): Paragraph[] {
  const numbering =
    numberedInstance === null
      ? { reference: LIST.bullets, level: 0 }
      : { reference: LIST.numbers, level: 0, instance: numberedInstance };
  return items.map((item) => new Paragraph({ numbering, children: runs(item) }));
}

function fieldsTable(rows: { label: string; value: string }[]): Table {
  const widths = [0.3, 0.7].map((share) => Math.round(share * CONTENT_WIDTH));
  return grid(
    widths,
    rows.map(
      ({ label, value }) =>
        new TableRow({
          cantSplit: true,
          children: [cell(label, widths[0]!, { bold: true, color: COLOR.muted }), cell(value, widths[1]!)],
        }),
    ),
  );
}

async function table(columns: TableColumn[], rows: Rows): Promise<Table> {
  const widths = columnShares(columns).map((share) => Math.round(share * CONTENT_WIDTH));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map((column, index) => cell(column.label, widths[index]!, { bold: true }, COLOR.headerFill)),
  });
  const body: TableRow[] = [];
  for await (const cells of rows) {
    body.push(
      new TableRow({
        cantSplit: true,
        children: widths.map((width, index) => cell(cells[index] ?? '', width)),
      }),
    );
  }
  return grid(widths, [header, ...body]);
}

function grid(widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    borders: {
      top: RULE,
      bottom: RULE,
      insideHorizontal: RULE,
      left: NO_BORDER,
      right: NO_BORDER,
      insideVertical: NO_BORDER,
    },
    rows,
  });
}

function cell(text: string, width: number, run: IRunOptions = {}, fill?: string): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    ...(fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill } } : {}),
    children: [new Paragraph({ style: STYLE.tableText, children: runs(text, run) })],
  });
}

function markingHeader(marking: string): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: COLOR.marking, space: 2 } },
        children: runs(marking, { bold: true, color: COLOR.marking }),
      }),
    ],
  });
}

function pageFooter(footer: string): Footer {
  const small = { size: 16, color: COLOR.muted };
  return new Footer({
    children: [
      new Paragraph({
        border: { top: { ...RULE, space: 4 } },
        tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
        children: [
          ...runs(footer, small),
          // Digits only: the renderer has no localised word for "page". Word fills the fields in.
          new TextRun({ ...small, children: ['\t', PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}

/** Text runs, with the text's line breaks as Word line breaks. */
function runs(text: string, options: IRunOptions = {}): TextRun[] {
  return text.split('\n').map((line, index) => new TextRun({ ...options, text: line, break: index > 0 ? 1 : 0 }));
}

function listConfig(reference: string, format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string) {
  return {
    reference,
    levels: [
      {
        level: 0,
        format,
        text,
        alignment: AlignmentType.LEFT,
        style: { paragraph: { indent: { left: 400, hanging: 280 } } },
      },
    ],
  };
}

function styles(language: string) {
  const heading = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: COLOR.text },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true },
  });
  const paragraphStyle = (id: string, name: string, options: Omit<IParagraphStyleOptions, 'id'>) => ({
    id,
    name,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    ...options,
  });
  return {
    default: {
      document: {
        run: { font: FONT, size: 21, color: COLOR.text, language: { value: language } },
        paragraph: { spacing: { after: 120, line: 276 } },
      },
      title: { run: { font: FONT, size: 40, bold: true, color: COLOR.text }, paragraph: { spacing: { after: 60 } } },
      heading1: heading(30, 360),
      heading2: heading(25, 280),
      heading3: heading(22, 200),
    },
    paragraphStyles: [
      paragraphStyle(STYLE.subtitle, 'Subtitle', {
        run: { size: 24, color: COLOR.muted },
        paragraph: { spacing: { after: 240 } },
      }),
      paragraphStyle(STYLE.lead, 'Lead', { run: { size: 24 } }),
      paragraphStyle(STYLE.muted, 'Muted', { run: { size: 18, color: COLOR.muted } }),
      paragraphStyle(STYLE.strong, 'Strong paragraph', { run: { bold: true } }),
      paragraphStyle(STYLE.letter, 'Letter', {
        paragraph: { indent: { left: 400, right: 400 }, spacing: { after: 160, line: 300 } },
      }),
      paragraphStyle(STYLE.tableText, 'Table text', { run: { size: 18 }, paragraph: { spacing: { after: 0 } } }),
    ],
  };
}
