/**
 * A delivery that did not go through. The message names the channel and what went wrong (a
 * connection error, an SMTP reply code, an HTTP status) and is stored as the reminder's
 * `lastError`: it never holds message contents, addresses of webhooks or secrets.
 * `permanent` failures are not retried (a missing webhook URL, an SMTP 5xx reply).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

const MAX_ERROR_LENGTH = 300;

/** What is stored and logged of a failure: never more than the error's kind and code. */
export function describeDeliveryError(error: unknown): string {
  const text =
    error instanceof DeliveryError
      ? error.message
      : `unexpected error: ${(error as { code?: string })?.code ?? (error as Error)?.name ?? 'unknown'}`;
  return text.replace(/\s+/g, ' ').slice(0, MAX_ERROR_LENGTH);
}
