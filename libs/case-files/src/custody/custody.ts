import { comparePartialDates, type PartialDate } from '#common';

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

/**
 * Orders custody events chronologically: by date (the first day a partial date can mean, coarser
 * before finer on the same day), and events with the same date in the order they were recorded
 * ("arrested, March 2022" then "pretrial detention, March 2022").
 */
export function compareCustodyEvents(a: CustodyFact, b: CustodyFact): number {
  return comparePartialDates(a.from, b.from) || Number(BigInt(a.seq) - BigInt(b.seq));
}

/** The person's current custody is the latest event in that order, or null when none is recorded. */
export function deriveCurrentCustody<T extends CustodyFact>(events: readonly T[]): T | null {
  return events.reduce<T | null>(
    (latest, e) => (latest === null || compareCustodyEvents(e, latest) > 0 ? e : latest),
    null,
  );
}
