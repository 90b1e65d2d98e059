/**
 * Domain errors. Libraries throw these; the HTTP layer turns them into RFC 9457 problem details,
 * and the worker logs them. Messages never contain field values, only names and ids.
 */
export interface FieldError {
  /** Path of the offending field, e.g. `names[1].value` or `participants[0].personId`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {}

export class NotFoundError extends DomainError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
  }
}

export class InvalidInputError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError([{ field, message }]);
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(
    readonly entity: string,
    readonly currentVersion: number,
  ) {
    super(`${entity} was changed by someone else; its current version is ${currentVersion}`);
  }
}

/** The change would break a rule about the stored data (a duplicate email, the last admin). */
export class ConflictError extends DomainError {}

/** The resource existed but is gone for good (an export file past its retention). */
export class GoneError extends DomainError {}

/** No valid credentials: missing, wrong, expired or revoked. The message says no more than that. */
export class AuthenticationError extends DomainError {}

/** Signed in, but the role or key scope does not allow this. */
export class ForbiddenError extends DomainError {}

/** Too many attempts; try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts; try again in ${retryAfterSeconds} seconds`);
  }
}

/** A change to a versioned record was sent without `If-Match`. */
export class PreconditionRequiredError extends DomainError {
  constructor() {
    super("Send If-Match with the record's current ETag (from GET) to change it.");
  }
}
