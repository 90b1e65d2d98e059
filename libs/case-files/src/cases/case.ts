export const CASE_STAGES = [
  'investigation',
  'awaiting-trial',
  'trial',
  'verdict',
  'appeal',
  'cassation',
  'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const PARTICIPANT_ROLES = ['defendant', 'victim', 'relative', 'lawyer', 'witness'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const VERDICTS = ['convicted', 'acquitted', 'dismissed', 'other'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A term of years, months and days, as courts and codes state sentences ("up to 10 years"). */
export interface Term {
  years?: number;
  months?: number;
  days?: number;
}

/** An interval as written to PostgreSQL (a literal) or read back by `pg` (an object). */
export type IntervalValue = string | Term;

/** `{years: 10}` -> `10 years 0 months 0 days`, a PostgreSQL interval literal. */
export function termToInterval(term: Term | null | undefined): string | null {
  if (!term) return null;
  return `${term.years ?? 0} years ${term.months ?? 0} months ${term.days ?? 0} days`;
}

/** Reads a PostgreSQL interval as returned by `pg` back into a term, omitting zero parts. */
export function intervalToTerm(value: unknown): Term | null {
  if (value === null || value === undefined) return null;
  const v = value as { years?: number; months?: number; days?: number };
  const term: Term = {};
  if (v.years) term.years = v.years;
  if (v.months) term.months = v.months;
  if (v.days) term.days = v.days;
  return term;
}
