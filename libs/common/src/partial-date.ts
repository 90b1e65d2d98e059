/**
 * Partial dates for historical facts ("March 2022", "about November 2022").
 *
 * `date` is written as precisely as the source allows: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
 * `precision` says how to read it: `day`, `month` and `year` must match the written form;
 * `approximate` ("around ...") may be written at any granularity.
 */
export const DATE_PRECISIONS = ['day', 'month', 'year', 'approximate'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export interface PartialDate {
  date: string;
  precision: DatePrecision;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** How many components the written date has: 1 = year, 2 = year-month, 3 = full date. */
function granularity(date: string): 1 | 2 | 3 | null {
  const match = PATTERN.exec(date);
  if (!match) return null;
  const [, y, m, d] = match;
  const year = Number(y);
  if (year < 1) return null;
  if (m === undefined) return 1;
  const month = Number(m);
  if (month < 1 || month > 12) return null;
  if (d === undefined) return 2;
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  return 3;
}

const REQUIRED_GRANULARITY: Record<Exclude<DatePrecision, 'approximate'>, 1 | 2 | 3> = {
  year: 1,
  month: 2,
  day: 3,
};

/** Returns a human-readable problem with the value, or null when it is a valid partial date. */
export function partialDateProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'must be an object {"date","precision"}';
  const { date, precision } = value as Record<string, unknown>;
  if (typeof date !== 'string') return 'date must be a string YYYY, YYYY-MM or YYYY-MM-DD';
  if (!DATE_PRECISIONS.includes(precision as DatePrecision)) {
    return `precision must be one of: ${DATE_PRECISIONS.join(', ')}`;
  }
  const g = granularity(date);
  if (g === null) return 'date must be a real date written YYYY, YYYY-MM or YYYY-MM-DD';
  if (precision !== 'approximate' && REQUIRED_GRANULARITY[precision as keyof typeof REQUIRED_GRANULARITY] !== g) {
    return `date "${date}" does not match precision "${String(precision)}"`;
  }
  return null;
}

export function isPartialDate(value: unknown): value is PartialDate {
  return partialDateProblem(value) === null;
}

/** What partial dates are ordered by (see `comparePartialDates`), worked out once per date. */
export interface PartialDateOrder {
  /** The first day the date can mean, `YYYY-MM-DD`. */
  firstDay: string;
  granularity: 1 | 2 | 3;
}

export function partialDateOrder(value: PartialDate): PartialDateOrder {
  const g = granularity(value.date);
  if (g === null) throw new RangeError(`invalid partial date: ${value.date}`);
  return { firstDay: g === 3 ? value.date : g === 2 ? `${value.date}-01` : `${value.date}-01-01`, granularity: g };
}

/**
 * The first day the partial date can mean, as `YYYY-MM-DD`; used as the sort key
 * ("2022-03" sorts as 2022-03-01, "2022" as 2022-01-01).
 */
export function partialDateSortKey(value: PartialDate): string {
  return partialDateOrder(value).firstDay;
}

/** `comparePartialDates` of the dates whose orders these are. */
export function comparePartialDateOrders(a: PartialDateOrder, b: PartialDateOrder): number {
  // Days written YYYY-MM-DD (four-digit years) sort as text.
  if (a.firstDay !== b.firstDay) return a.firstDay < b.firstDay ? -1 : 1;
  return a.granularity - b.granularity;
}

/**
 * Orders partial dates chronologically by the first day they can mean; when two start on the
 * same day the coarser one ("March 2022") comes before the finer one ("15 March 2022").
 */
export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  return comparePartialDateOrders(partialDateOrder(a), partialDateOrder(b));
}

/**
 * Today's date where it is latest (UTC+14, the Line Islands), `YYYY-MM-DD`: no day after it has
 * begun anywhere, so nothing that happened can be dated later.
 */
export function latestToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** True when every day a valid partial date can mean is still to come anywhere on Earth. */
export function partialDateInFuture(value: PartialDate, now: Date = new Date()): boolean {
  return partialDateSortKey(value) > latestToday(now);
}
