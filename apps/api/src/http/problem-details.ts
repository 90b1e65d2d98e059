import type { FieldError } from '#common';

/** An RFC 9457 problem document, with field-level `errors` for invalid input. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs are URNs: stable identifiers documented in README.md ("Errors"). */
const PROBLEM_TYPE_BASE = 'urn:case-tracker:problem:';

/** Problem types this API defines; anything else is `about:blank` with the HTTP status title. */
export const PROBLEM_TYPES = {
  validation: `${PROBLEM_TYPE_BASE}validation`,
  notFound: `${PROBLEM_TYPE_BASE}not-found`,
  conflict: `${PROBLEM_TYPE_BASE}conflict`,
  versionMismatch: `${PROBLEM_TYPE_BASE}version-mismatch`,
  preconditionRequired: `${PROBLEM_TYPE_BASE}precondition-required`,
  unauthenticated: `${PROBLEM_TYPE_BASE}unauthenticated`,
  forbidden: `${PROBLEM_TYPE_BASE}forbidden`,
  rateLimited: `${PROBLEM_TYPE_BASE}rate-limited`,
} as const;
