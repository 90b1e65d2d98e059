import type { CustodyStatus } from '#case-files';
import type { PartialDate } from '#common';
import type { Block, ReportDocument, TableColumn } from '../document.js';
import { type Labels, labelsFor, localDate } from '../labels.js';
import type {
  CampaignData,
  CaseData,
  DossierData,
  EventData,
  HearingData,
  NameData,
  SourceData,
} from '../report-data.js';

/**
 * A dossier on one person in the manner of an Urgent Action: the headline, who the person is,
 * custody, cases and hearings, the background, what to do and to whom to write, and sources.
 * Sections without facts are left out. The CSV and the XLSX sheet list the same facts as
 * section / item / value rows, read from the blocks so that both editions always agree.
 */

/** A dossier's tables are small and in memory: its sheet is read from them. */
type Table = { type: 'table'; columns: TableColumn[]; rows: string[][] };
type DossierBlock = Exclude<Block, { type: 'table' }> | Table;
type Field = [label: string, value: string | null | undefined];

export function presentDossier(data: DossierData): ReportDocument {
  const labels = labelsFor(data.meta.language);
  const blocks = [
    ...summarySection(data, labels),
    ...namesSection(data.person.names, labels),
    ...designationsSection(data, labels),
    ...custodySection(data, labels),
    ...casesSection(data.cases, data.person.displayName, labels),
    ...hearingsSection(data.cases, labels),
    ...backgroundSection(data.events, data.campaign, labels),
    ...actionSection(data.campaign, labels),
    ...sourcesSection(data.sources, labels),
    ...notesSection(data, labels),
  ];
  return {
    language: data.meta.language,
    title: data.campaign?.headline?.trim() || generatedHeadline(data, labels),
    subtitle: issueLine(data, labels),
    marking: labels.marking(data.meta.audience),
    footer: labels.footer(data.meta),
    blocks,
    sheet: {
      name: labels.t('dossier.sheet'),
      columns: ['section', 'item', 'value'].map((key) => ({ key, label: labels.t(`field.${key}`) })),
      rows: sheetRows(blocks, labels),
    },
    summary: null,
  };
}

/** "under house arrest since around November 2022". */
export function statusText(status: CustodyStatus, since: PartialDate | null, labels: Labels): string {
  const text = labels.status(status);
  return since ? labels.t('status.since', { status: text, since: labels.since(since) }) : text;
}

/** The court and courtroom of a hearing ("Medeu District Court, Almaty, courtroom 4"). */
export function courtText(hearing: HearingData, labels: Labels): string {
  return labels.list([
    hearing.court,
    hearing.courtroom && labels.t('hearing.courtroom', { courtroom: hearing.courtroom }),
  ]);
}

/**
 * A headline when the campaign has none, from the person's occupation, custody and the stage
 * of their open case: "Journalist held under house arrest awaiting trial". Only a case in which
 * the person is a defendant counts: a witness in a trial is not "on trial".
 */
function generatedHeadline({ person, currentCustody, cases }: DossierData, labels: Labels): string {
  const openCase = cases.find((c) => isDefendant(c) && c.stage !== 'closed');
  const status = currentCustody ? labels.t(`headline.status.${currentCustody.status}`) : '';
  const stage = openCase ? labels.t(`headline.stage.${openCase.stage}`) : '';
  if (!status && !stage) return person.displayName;
  const occupation = person.occupations[0];
  const who = occupation ? labels.capitalise(labels.recorded('occupation', occupation)) : person.displayName;
  // A phrase the catalog leaves empty (status unknown, case closed) leaves no double space.
  return labels.t('headline', { who, status, stage }).replace(/\s+/g, ' ').trim();
}

/** "Urgent Action UA 07/23, follow-up to UA 31/22, issued 21 November 2026". */
function issueLine({ meta, campaign }: DossierData, labels: Labels): string {
  return labels.capitalise(
    labels.list([
      campaign?.actionNumber && labels.t('dossier.action', { number: campaign.actionNumber }),
      campaign?.followUpOf && labels.t('dossier.followUp', { number: campaign.followUpOf }),
      labels.t('dossier.issued', { date: labels.date(meta.issuedOn) }),
    ]),
  );
}

function section(title: string, blocks: DossierBlock[]): DossierBlock[] {
  return blocks.length > 0 ? [{ type: 'heading', level: 2, text: title }, ...blocks] : [];
}

function subsection(title: string, blocks: DossierBlock[]): DossierBlock[] {
  return blocks.length > 0 ? [{ type: 'heading', level: 3, text: title }, ...blocks] : [];
}

/** A fields block of the fields that have a value; none when no field has one. */
function fields(entries: Field[]): DossierBlock[] {
  const rows = entries.flatMap(([label, value]) => (value ? [{ label, value }] : []));
  return rows.length > 0 ? [{ type: 'fields', rows }] : [];
}

function paragraph(text: string | null | undefined, style?: 'lead' | 'muted' | 'strong' | 'letter'): DossierBlock[] {
  return text ? [{ type: 'paragraph', text, ...(style && { style }) }] : [];
}

function list(items: string[]): DossierBlock[] {
  return items.length > 0 ? [{ type: 'list', items }] : [];
}

function table(columns: string[], rows: (string | null | undefined)[][], labels: Labels): DossierBlock[] {
  if (rows.length === 0) return [];
  return [
    {
      type: 'table',
      columns: columns.map((key) => ({ key, label: labels.t(`field.${key}`) })),
      rows: rows.map((row) => row.map((cell) => cell ?? '')),
    },
  ];
}

function summarySection(data: DossierData, labels: Labels): DossierBlock[] {
  const { person, campaign, meta } = data;
  return section(labels.t('section.summary'), [
    ...paragraph(campaign?.summary, 'lead'),
    ...fields([
      [labels.t('field.name'), person.displayName],
      [labels.t('field.country'), person.country && labels.displayName('region', person.country)],
      [labels.t('field.born'), person.birthDate && labels.partialDate(person.birthDate)],
      [labels.t('field.occupation'), labels.list(person.occupations.map((o) => labels.recorded('occupation', o)))],
      [labels.t('field.actionNumber'), campaign?.actionNumber],
      [labels.t('field.followUpOf'), campaign?.followUpOf],
      [labels.t('field.issuedOn'), labels.date(meta.issuedOn)],
      [labels.t('field.issuedBy'), meta.organisation],
      [labels.t('field.appealDeadline'), campaign?.appealDeadline && labels.date(campaign.appealDeadline)],
    ]),
  ]);
}

/** Every recorded spelling with its script and language, the preferred one first. */
function namesSection(names: NameData[], labels: Labels): DossierBlock[] {
  const preferredFirst = [...names].sort((a, b) => Number(b.preferred) - Number(a.preferred));
  const items = preferredFirst.map((name) => {
    const details = labels.list([
      name.script && labels.displayName('script', name.script),
      name.lang && labels.displayName('language', name.lang),
      name.preferred ? labels.t('name.preferred') : null,
    ]);
    return details ? labels.t('name.details', { name: name.value, details }) : name.value;
  });
  return section(labels.t('section.names'), list(items));
}

function designationsSection({ person }: DossierData, labels: Labels): DossierBlock[] {
  const items = person.designations.map(({ designation, organisation, since }) => {
    const named = labels.recorded('designation', designation);
    const by = organisation ? labels.t('designation.by', { designation: named, organisation }) : named;
    return since ? labels.t('designation.since', { designation: by, since: labels.since(since) }) : by;
  });
  return section(labels.t('section.designations'), list(items));
}

function custodySection({ currentCustody, custodyHistory }: DossierData, labels: Labels): DossierBlock[] {
  return section(labels.t('section.custody'), [
    ...fields([
      [
        labels.t('field.currentStatus'),
        currentCustody && statusText(currentCustody.status, currentCustody.from, labels),
      ],
      [labels.t('field.place'), currentCustody && labels.list([currentCustody.facility, currentCustody.place])],
    ]),
    ...table(
      ['since', 'status', 'place', 'facility', 'note'],
      custodyHistory.map((c) => [labels.partialDate(c.from), labels.status(c.status), c.place, c.facility, c.note]),
      labels,
    ),
  ]);
}

function isDefendant(c: CaseData): boolean {
  return c.roles.includes('defendant');
}

function casesSection(cases: CaseData[], name: string, labels: Labels): DossierBlock[] {
  return section(
    labels.t('section.cases'),
    cases.flatMap((c) => subsection(c.title, caseBlocks(c, name, labels))),
  );
}

/**
 * A case's facts. In a case where the person is not a defendant (a witness, a victim), a line
 * first says so: its charges, verdict and sentence are other people's.
 */
function caseBlocks(c: CaseData, name: string, labels: Labels): DossierBlock[] {
  const { outcome } = c;
  const roles = labels.list(c.roles.map((role) => labels.role(role)));
  return [
    ...paragraph(isDefendant(c) ? null : labels.t('case.notDefendant', { name, roles }), 'strong'),
    ...fields([
      [labels.t('field.court'), c.court],
      [labels.t('field.stage'), labels.stage(c.stage)],
      [labels.t('field.roles'), roles],
      [labels.t('field.verdict'), outcome && labels.verdict(outcome.verdict)],
      [labels.t('field.verdictDate'), outcome?.date && labels.partialDate(outcome.date)],
      [labels.t('field.sentence'), outcome?.sentence && labels.term(outcome.sentence)],
      [labels.t('field.outcome'), outcome?.note],
    ]),
    ...table(
      ['article', 'charge', 'maxSentence'],
      c.charges.map((charge) => [
        charge.article,
        charge.description,
        charge.maxSentence && labels.term(charge.maxSentence),
      ]),
      labels,
    ),
  ];
}

/**
 * The kind of an upcoming hearing, with its status unless it is simply scheduled: a postponed
 * hearing stays listed on its date as "trial hearing (postponed)", so that nobody goes to court
 * for it.
 */
function upcomingHearingText(h: HearingData, labels: Labels): string {
  const kind = labels.hearingKind(h.kind);
  return h.status === 'scheduled'
    ? kind
    : labels.t('hearing.withStatus', { hearing: kind, status: labels.hearingStatus(h.status) });
}

/** Hearings of every case, in the court's local time (upcoming ones say when postponed). */
function hearingsSection(cases: CaseData[], labels: Labels): DossierBlock[] {
  const when = (h: HearingData) => labels.dateTime(h.startsAt, h.timeZone);
  const upcoming = cases.flatMap((c) => c.upcomingHearings);
  const past = cases.flatMap((c) => c.pastHearings);
  return section(labels.t('section.hearings'), [
    ...subsection(
      labels.t('section.upcomingHearings'),
      table(
        ['courtTime', 'hearing', 'court', 'case'],
        upcoming.map((h) => [when(h), upcomingHearingText(h, labels), courtText(h, labels), h.caseTitle]),
        labels,
      ),
    ),
    ...subsection(
      labels.t('section.pastHearings'),
      table(
        ['courtTime', 'hearing', 'court', 'status', 'outcome', 'case'],
        past.map((h) => [
          when(h),
          labels.hearingKind(h.kind),
          courtText(h, labels),
          labels.hearingStatus(h.status),
          h.outcome,
          h.caseTitle,
        ]),
        labels,
      ),
    ),
  ]);
}

function backgroundSection(events: EventData[], campaign: CampaignData | null, labels: Labels): DossierBlock[] {
  return section(labels.t('section.background'), [
    ...events.flatMap((event) => [
      ...paragraph(labels.list([event.name, eventDates(event, labels)]), 'strong'),
      ...paragraph(
        event.otherNames.length > 0 ? labels.t('event.otherNames', { names: labels.list(event.otherNames) }) : null,
        'muted',
      ),
      ...paragraph(event.summary),
    ]),
    ...paragraph(campaign?.background),
  ]);
}

function eventDates({ start, end }: EventData, labels: Labels): string | null {
  if (start && end) return labels.t('date.range', { from: labels.partialDate(start), to: labels.partialDate(end) });
  const only = start ?? end;
  return only && labels.partialDate(only);
}

/** The call to action: the model letter, the officials to write to, copies, the deadline. */
function actionSection(campaign: CampaignData | null, labels: Labels): DossierBlock[] {
  if (!campaign) return [];
  const { modelLetter: letter, appealDeadline } = campaign;
  const blocks = [
    ...subsection(
      labels.t('section.modelLetter'),
      letter
        ? [
            ...paragraph(letter.salutation, 'letter'),
            ...paragraph(letter.facts, 'letter'),
            ...list(letter.requests),
            ...paragraph(letter.closing, 'letter'),
          ]
        : [],
    ),
    ...subsection(
      labels.t('section.recipients'),
      campaign.recipients.flatMap((r) =>
        fields([
          [labels.t('field.title'), r.title],
          [labels.t('field.name'), r.name],
          [labels.t('field.address'), r.address],
          [labels.t('field.email'), r.email],
          [labels.t('field.salutation'), r.salutation],
          [labels.t('field.writeIn'), r.preferredLanguage && labels.displayName('language', r.preferredLanguage)],
        ]),
      ),
    ),
    ...subsection(
      labels.t('section.copies'),
      campaign.copies.flatMap((c) =>
        fields([
          [labels.t('field.title'), c.title],
          [labels.t('field.name'), c.name],
          [labels.t('field.address'), c.address],
          [labels.t('field.email'), c.email],
        ]),
      ),
    ),
  ];
  if (blocks.length === 0 && !appealDeadline) return [];
  // The deadline before the subsections: in the sheet, it must not read as part of the last one.
  return section(labels.t('section.action'), [
    ...paragraph(labels.t('action.intro')),
    ...paragraph(appealDeadline && labels.t('action.deadline', { date: labels.date(appealDeadline) }), 'strong'),
    ...blocks,
  ]);
}

function sourcesSection(sources: SourceData[], labels: Labels): DossierBlock[] {
  const items = sources.map((s) =>
    labels.list([s.publisher, s.title, s.published && labels.partialDate(s.published), s.url]),
  );
  return section(labels.t('section.sources'), list(items));
}

/** Internal notes, in internal reports only (builders leave them out of public ones too). */
function notesSection({ meta, notes }: DossierData, labels: Labels): DossierBlock[] {
  if (meta.audience !== 'internal') return [];
  const items = notes.map((note) =>
    labels.t('note.item', {
      body: note.body,
      author: note.author,
      date: labels.date(localDate(new Date(note.createdAt), meta.timeZone)),
    }),
  );
  return section(labels.t('section.notes'), list(items));
}

/**
 * The blocks as section / item / value rows: a field is its label and value, a table row its
 * first cell and the other cells with their column labels, text a row of its own.
 */
function sheetRows(blocks: DossierBlock[], labels: Labels): string[][] {
  const rows: string[][] = [];
  let heading = '';
  let subheading = '';
  const where = () => (subheading ? `${heading} › ${subheading}` : heading);
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        if (block.level === 3) subheading = block.text;
        else [heading, subheading] = [block.text, ''];
        break;
      case 'paragraph':
        rows.push([where(), '', block.text]);
        break;
      case 'list':
        rows.push(...block.items.map((item) => [where(), '', item]));
        break;
      case 'fields':
        rows.push(...block.rows.map(({ label, value }) => [where(), label, value]));
        break;
      case 'table':
        rows.push(...block.rows.map((row) => [where(), row[0], tableRowValue(block.columns, row, labels)]));
        break;
    }
  }
  return rows;
}

function tableRowValue(columns: TableColumn[], row: string[], labels: Labels): string {
  return labels.groups(columns.slice(1).flatMap((column, i) => (row[i + 1] ? [`${column.label}: ${row[i + 1]}`] : [])));
}
