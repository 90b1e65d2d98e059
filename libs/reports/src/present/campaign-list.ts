import type { Term } from '#case-files';
import type { ReportDocument, TableColumn } from '../document.js';
import { type Labels, labelsFor } from '../labels.js';
import type { CampaignListData, CampaignRowData, CampaignSummaryData, ChargeData } from '../report-data.js';
import { courtText, statusText } from './dossier.js';

/**
 * A campaign list: the filter in words, a summary, then one row per person. The rows are mapped
 * as they are read from the builder's stream and never gathered, so a list of 100,000 persons
 * takes the memory of one row; the table block and the sheet share that one stream (a renderer
 * reads one of them).
 */
export function presentCampaignList(data: CampaignListData): ReportDocument {
  const labels = labelsFor(data.meta.language);
  const columns = personColumns(labels);
  const rows = personRows(data.rows, labels);
  const summary = summaryRows(data.summary, labels);
  return {
    language: data.meta.language,
    title: labels.t('campaign.title'),
    subtitle: filterText(data.filter, data.eventName, labels),
    marking: labels.marking(data.meta.audience),
    footer: labels.footer(data.meta),
    blocks: [
      { type: 'heading', level: 2, text: labels.t('section.summary') },
      { type: 'fields', rows: summary },
      { type: 'heading', level: 2, text: labels.t('section.persons') },
      { type: 'table', columns, rows },
    ],
    sheet: { name: labels.t('campaign.sheet'), columns, rows },
    summary: { name: labels.t('summary.sheet'), rows: summary },
  };
}

function personColumns(labels: Labels): TableColumn[] {
  const column = (key: string, width: number) => ({ key, label: labels.t(`field.${key}`), width });
  return [
    column('name', 3),
    column('status', 2),
    column('place', 1.5),
    column('charges', 3),
    column('stage', 1.5),
    column('nextHearing', 3),
  ];
}

async function* personRows(rows: AsyncIterable<CampaignRowData>, labels: Labels): AsyncGenerator<string[]> {
  for await (const row of rows) yield personRow(row, labels);
}

function personRow(row: CampaignRowData, labels: Labels): string[] {
  const hearing = row.nextHearing;
  return [
    nameText(row.name, row.otherNames, labels),
    row.status ? statusText(row.status, row.statusSince, labels) : '',
    row.place ?? '',
    labels.groups(row.charges.map((charge) => chargeText(charge, labels))),
    row.stage ? labels.stage(row.stage) : '',
    hearing ? labels.list([labels.dateTime(hearing.startsAt, hearing.timeZone), courtText(hearing, labels)]) : '',
  ];
}

/** The name with the other spellings after it: "Zhanbolat Mamay (Жанболат Мамай, Dzjanboelat Mamai)". */
function nameText(name: string, otherNames: string[], labels: Labels): string {
  return otherNames.length > 0 ? labels.t('name.details', { name, details: labels.list(otherNames) }) : name;
}

/** "organizing riots (article 272-2); maximum sentence: 10 years". */
function chargeText(charge: ChargeData, labels: Labels): string {
  const text = charge.article
    ? labels.t('charge.withArticle', { description: charge.description, article: articleText(charge.article, labels) })
    : charge.description;
  return charge.maxSentence
    ? labels.t('charge.withMaximum', { charge: text, term: labels.term(charge.maxSentence) })
    : text;
}

function articleText(article: string, labels: Labels): string {
  return labels.t('charge.article', { article });
}

/**
 * The filter in words: "country: Kazakhstan; custody status: under house arrest". A mass event
 * is named, never shown by its id; one the audience may not see is only said to be a mass event.
 */
function filterText(filter: Record<string, string>, eventName: string | null, labels: Labels): string {
  const parts = Object.entries(filter).map(([key, value]) => {
    if (key === 'eventId') {
      return eventName ? labels.t('filter.eventId', { value: eventName }) : labels.t('filter.eventId.unnamed');
    }
    return labels.has(`filter.${key}`)
      ? labels.t(`filter.${key}`, { value: filterValue(key, value, labels) })
      : labels.t('filter.other', { key, value });
  });
  if (parts.length === 0) return labels.t('campaign.filter.none');
  return labels.t('campaign.filter', { filter: labels.groups(parts) });
}

/** Codes of the filter in words; lists of statuses and stages arrive joined with ", ". */
function filterValue(key: string, value: string, labels: Labels): string {
  const each = (prefix: string) =>
    labels.list(value.split(',').map((code) => labels.labelOr(`${prefix}.${code.trim()}`, code.trim())));
  switch (key) {
    case 'country':
      return labels.displayName('region', value);
    case 'status':
      return each('status');
    case 'stage':
      return each('stage');
    case 'visibility':
      return each('visibility');
    case 'hearingWithinDays':
      return labels.plural('unit.day', Number(value));
    default:
      return value;
  }
}

function summaryRows(summary: CampaignSummaryData, labels: Labels): { label: string; value: string }[] {
  const { sentences } = summary;
  const count = (value: number) => labels.number(value);
  return [
    { label: labels.t('summary.persons'), value: count(summary.persons) },
    // No custody recorded (null) has a label of its own: it is not the recorded status `unknown`.
    ...summary.byStatus.map(({ key, count: n }) => ({
      label:
        key === null ? labels.t('summary.status.none') : labels.t('summary.status', { status: labels.status(key) }),
      value: count(n),
    })),
    ...summary.byCharge.map(({ key, count: n }) => ({
      label: labels.t('summary.charge', { charge: chargeKeyText(key, labels) }),
      value: count(n),
    })),
    { label: labels.t('summary.sentences'), value: count(sentences.count) },
    ...(sentences.count > 0
      ? [{ label: labels.t('summary.totalSentences'), value: labels.term(monthsToTerm(sentences.totalMonths)) }]
      : []),
    ...(sentences.longest
      ? [
          {
            label: labels.t('summary.longestSentence'),
            value: labels.t('summary.longestSentence.value', {
              term: labels.term(sentences.longest.term),
              name: sentences.longest.name,
            }),
          },
        ]
      : []),
    { label: labels.t('summary.hearingsNext30Days'), value: count(summary.hearingsNext30Days) },
  ];
}

/**
 * A charge is counted by its article, or by its description when it has none. Articles are
 * numbers ("272-2", "174 part 1"); descriptions are words, so a leading digit tells them apart.
 */
function chargeKeyText(key: string, labels: Labels): string {
  return /^\d/.test(key) ? articleText(key, labels) : key;
}

/** 66 months -> 5 years 6 months. */
function monthsToTerm(months: number): Term {
  return { years: Math.floor(months / 12), months: months % 12 };
}
