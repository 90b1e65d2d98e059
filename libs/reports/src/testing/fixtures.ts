import type { CustodyStatus, Term } from '#case-files';
import { PassThrough, type Writable } from 'node:stream';
import type {
  CampaignListData,
  CampaignRowData,
  CampaignSummaryData,
  CustodyData,
  DossierData,
  ReportMeta,
} from '../report-data.js';
import type { Audience } from '../reports.js';

/**
 * Report data for tests, from the public facts in `shared/fixtures/kazakhstan-2022.json` (two NRC
 * reports on Kazakhstan after the January 2022 unrest). The source names no court, hearing,
 * legal article or campaign: those parts, and the persons after Mamay in the campaign list, are
 * made up for tests, with placeholder addresses under example.org.
 */
export interface FixtureOverrides {
  audience?: Audience;
  language?: string;
}

export type DossierFixture = DossierData & { meta: { kind: 'dossier' } };
export type CampaignListFixture = CampaignListData & { meta: { kind: 'campaign' } };

const ISSUED_AT = '2026-11-21T09:00:00Z';
const ISSUED_ON = '2026-11-21';
const ORGANISATION = 'Political Prisoners Watch';

function meta<K extends ReportMeta['kind']>(kind: K, overrides: FixtureOverrides): ReportMeta & { kind: K } {
  return {
    kind,
    audience: overrides.audience ?? 'public',
    language: overrides.language ?? 'en',
    issuedAt: ISSUED_AT,
    issuedOn: ISSUED_ON,
    timeZone: 'UTC',
    organisation: ORGANISATION,
  };
}

const HOUSE_ARREST: CustodyData = {
  status: 'house-arrest',
  from: { date: '2022-11', precision: 'approximate' },
  place: 'Almaty',
  facility: null,
  note: 'May not leave home or use the internet.',
};

/** Zhanbolat Mamay: journalist, prisoner of conscience, under house arrest awaiting trial. */
export function dossierFixture(overrides: FixtureOverrides = {}): DossierFixture {
  const audience = overrides.audience ?? 'public';
  return {
    meta: meta('dossier', overrides),
    person: {
      displayName: 'Zhanbolat Mamay',
      names: [
        { value: 'Zhanbolat Mamay', script: 'Latn', lang: 'en', preferred: true },
        { value: 'Жанболат Мамай', script: 'Cyrl', lang: 'kk', preferred: false },
        { value: 'Dzjanboelat Mamai', script: 'Latn', lang: 'nl', preferred: false },
        { value: 'Dzjamboelat Mamai', script: 'Latn', lang: 'nl', preferred: false },
      ],
      country: 'KZ',
      birthDate: null,
      occupations: ['journalist', 'politician'],
      designations: [
        {
          designation: 'prisoner of conscience',
          organisation: 'Amnesty International',
          since: { date: '2023-03', precision: 'month' },
        },
      ],
    },
    currentCustody: HOUSE_ARREST,
    custodyHistory: [
      {
        status: 'arrested',
        from: { date: '2022-03', precision: 'month' },
        place: 'Almaty',
        facility: null,
        note: null,
      },
      {
        status: 'pretrial-detention',
        from: { date: '2022-03', precision: 'month' },
        place: null,
        facility: null,
        note: 'Held in prison for months.',
      },
      HOUSE_ARREST,
    ],
    cases: [
      {
        title: 'Prosecution of Zhanbolat Mamay',
        court: 'Medeu District Court, Almaty',
        stage: 'awaiting-trial',
        roles: ['defendant'],
        charges: [
          {
            article: null,
            description: 'organizing the anti-government riots of January 2022',
            maxSentence: { years: 10 },
          },
        ],
        outcome: null,
        // Made up for tests: one hearing before and one after Almaty moved from UTC+6 to UTC+5
        // (1 March 2024), both at 10:00 court time.
        pastHearings: [
          {
            startsAt: '2024-02-20T04:00:00Z',
            timeZone: 'Asia/Almaty',
            court: 'Medeu District Court, Almaty',
            courtroom: '4',
            kind: 'preliminary',
            status: 'held',
            outcome: 'House arrest extended.',
            caseTitle: 'Prosecution of Zhanbolat Mamay',
          },
        ],
        upcomingHearings: [
          {
            startsAt: '2026-12-08T05:00:00Z',
            timeZone: 'Asia/Almaty',
            court: 'Medeu District Court, Almaty',
            courtroom: '4',
            kind: 'trial',
            status: 'scheduled',
            outcome: null,
            caseTitle: 'Prosecution of Zhanbolat Mamay',
          },
        ],
      },
    ],
    events: [
      {
        name: 'January 2022 unrest',
        otherNames: ['Qandy Qantar', 'Bloody January', 'Bloedige januari'],
        start: { date: '2022-01-02', precision: 'day' },
        end: { date: '2022-01', precision: 'month' },
        summary:
          'Protests against a fuel price rise began on 2 January 2022 in Zhanaozen and spread to other cities, ' +
          'Almaty among them. At least 238 people were killed and thousands were arrested.',
      },
    ],
    // Made up for tests: the campaign around the facts above.
    campaign: {
      headline: null,
      actionNumber: 'UA 07/23',
      followUpOf: 'UA 31/22',
      summary:
        'Journalist and politician Zhanbolat Mamay has been held since March 2022, first in prison and since ' +
        'around November 2022 under house arrest. He faces up to 10 years in prison.',
      modelLetter: {
        salutation: 'Dear Prosecutor General,',
        facts:
          'Zhanbolat Mamay, a journalist, was arrested in Almaty in March 2022 and is accused of organizing ' +
          'the riots of January 2022. Amnesty International considers him a prisoner of conscience.',
        requests: [
          'Release Zhanbolat Mamay immediately and unconditionally and drop all charges against him.',
          'Pending his release, lift the ban on his use of the internet.',
        ],
        closing: 'Yours sincerely,',
      },
      recipients: [
        {
          title: 'Prosecutor General of the Republic of Kazakhstan',
          name: 'Office of the Prosecutor General',
          address: '14 Mangilik El Avenue, Astana 010000, Kazakhstan',
          email: 'prosecutor-general@example.org',
          salutation: 'Dear Prosecutor General,',
          preferredLanguage: 'ru',
        },
      ],
      copies: [
        {
          title: 'Ambassador of the Republic of Kazakhstan',
          name: 'Embassy of the Republic of Kazakhstan',
          address: 'Example Street 1, 2500 AA The Hague, Netherlands',
          email: 'embassy@example.org',
        },
      ],
      appealDeadline: '2027-01-15',
      background: 'Mamay founded the Democratic Party of Kazakhstan, whose registration the authorities have blocked.',
      language: 'en',
    },
    sources: [
      {
        publisher: 'NRC',
        title: 'A year after the January unrest in Kazakhstan (report)',
        url: null,
        published: { date: '2023-01', precision: 'month' },
      },
      {
        publisher: 'NRC',
        title: 'Kazakhstan votes in early parliamentary elections (report)',
        url: null,
        published: { date: '2023-03-19', precision: 'approximate' },
      },
    ],
    notes:
      audience === 'internal'
        ? [
            {
              body: 'Family asks that the home address is never published.',
              author: 'Case worker',
              createdAt: '2026-11-18T12:00:00Z',
            },
          ]
        : [],
  };
}

/** Kazakh-language names (between them every letter Kazakh adds to Cyrillic: Ә Ғ Қ Ң Ө Ұ Ү Һ І). */
const KAZAKH_PERSONS: { name: string; otherNames: string[] }[] = [
  { name: 'Әлия Ғабитқызы Қоңырова', otherNames: ['Aliya Gabitkyzy Konyrova', 'Алия Габитовна Конырова'] },
  { name: 'Іңкәр Ұлықбекқызы Өтегенова', otherNames: ['Inkar Ulykbekkyzy Otegenova'] },
  { name: 'Һәкім Үсенов', otherNames: ['Hakim Usenov'] },
];

const RIOTS: CampaignRowData['charges'][number] = {
  article: '272-2',
  description: 'participating in mass riots',
  maxSentence: { years: 8 },
};

function mamayRow(): CampaignRowData {
  const dossier = dossierFixture();
  return {
    name: dossier.person.displayName,
    otherNames: dossier.person.names.slice(1, 3).map(({ value }) => value),
    country: 'KZ',
    status: 'house-arrest',
    statusSince: HOUSE_ARREST.from,
    place: 'Almaty',
    charges: dossier.cases[0].charges,
    stage: 'awaiting-trial',
    nextHearing: dossier.cases[0].upcomingHearings[0],
    sentence: null,
  };
}

/** Made up for tests: convicted, in the style of the post-January 2022 riot trials. */
function kazakhRow(index: number): CampaignRowData {
  return {
    ...KAZAKH_PERSONS[index],
    country: 'KZ',
    status: 'imprisoned',
    statusSince: { date: '2022-06-14', precision: 'day' },
    place: 'Karaganda',
    charges: [RIOTS],
    stage: 'closed',
    nextHearing: null,
    sentence: { years: 5 + index, months: 6 },
  };
}

function generatedRow(index: number): CampaignRowData {
  return {
    name: `Test Person ${index}`,
    otherNames: [],
    country: 'KZ',
    status: 'pretrial-detention',
    statusSince: { date: '2022', precision: 'year' },
    place: 'Taldykorgan',
    charges: [RIOTS],
    stage: 'investigation',
    nextHearing: null,
    sentence: null,
  };
}

/** Mamay, then the Kazakh-named persons, then generated ones. */
function campaignRow(index: number): CampaignRowData {
  if (index === 0) return mamayRow();
  if (index <= KAZAKH_PERSONS.length) return kazakhRow(index - 1);
  return generatedRow(index);
}

function* syncRows(n: number): Generator<CampaignRowData> {
  for (let index = 0; index < n; index += 1) yield campaignRow(index);
}

async function* campaignRows(n: number): AsyncGenerator<CampaignRowData> {
  yield* syncRows(n);
}

function countsOf<K extends string | null>(keys: Map<K, number>): { key: K; count: number }[] {
  return [...keys].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

const termMonths = (term: Term): number => (term.years ?? 0) * 12 + (term.months ?? 0);

/** The summary the builder would compute, from the same rows (without keeping them). */
function campaignSummary(n: number): CampaignSummaryData {
  const byStatus = new Map<CustodyStatus | null, number>();
  const byCharge = new Map<string, number>();
  const sentences: CampaignSummaryData['sentences'] = { count: 0, totalMonths: 0, longest: null };
  const horizon = Date.parse(ISSUED_AT) + 30 * 24 * 3600 * 1000;
  let hearingsNext30Days = 0;
  for (const row of syncRows(n)) {
    increment(byStatus, row.status);
    for (const charge of row.charges) increment(byCharge, charge.article ?? charge.description);
    if (row.sentence) {
      sentences.count += 1;
      sentences.totalMonths += termMonths(row.sentence);
      if (!sentences.longest || termMonths(row.sentence) > termMonths(sentences.longest.term)) {
        sentences.longest = { name: row.name, term: row.sentence };
      }
    }
    if (row.nextHearing && Date.parse(row.nextHearing.startsAt) <= horizon) hearingsNext30Days += 1;
  }
  return { persons: n, byStatus: countsOf(byStatus), byCharge: countsOf(byCharge), sentences, hearingsNext30Days };
}

/**
 * A campaign list of `n` persons whose rows are an async generator (read once, like the
 * database stream the builder returns): Mamay, three persons with Kazakh names, then generated ones.
 */
export function campaignListFixture(n: number, overrides: FixtureOverrides = {}): CampaignListFixture {
  return {
    meta: meta('campaign', overrides),
    filter: { country: 'KZ', status: 'pretrial-detention, house-arrest, imprisoned' },
    eventName: null,
    summary: campaignSummary(n),
    rows: campaignRows(n),
  };
}

/** Everything `write` writes to a stream (read while it is written, as a consumer would). */
export async function writtenBy(write: (out: Writable) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}
