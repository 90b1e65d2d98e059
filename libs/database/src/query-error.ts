import { QueryFailedError } from 'typeorm';

/**
 * An error as it may be logged or kept (in a BullMQ job's failure reason): a failed query by its
 * SQLSTATE code, table and constraint only, since PostgreSQL's messages can quote the values of a
 * row (`invalid input syntax for type uuid: "..."`); any other error as it is.
 */
export function loggableError(error: unknown): Error {
  if (!(error instanceof QueryFailedError)) return error instanceof Error ? error : new Error(String(error));
  const driver = (error.driverError ?? {}) as { code?: string; table?: string; constraint?: string };
  const where = [driver.table && `table ${driver.table}`, driver.constraint && `constraint ${driver.constraint}`]
    .filter((part) => part)
    .join(', ');
  const described = new Error(`database error ${driver.code ?? 'unknown'}${where ? ` (${where})` : ''}`);
  described.stack = `${described.message}\n${error.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return described;
}
