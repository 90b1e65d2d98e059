import { Param, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '#common';

/** Ids as PostgreSQL gives them back (lower-case), so that an id compares equal wherever it is compared. */
const lowerCase: PipeTransform<string, string> = { transform: (value) => value.toLowerCase() };

/**
 * A path parameter that must be a UUID, in any case, passed on lower-case; a malformed one answers
 * 400 naming the parameter.
 */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => InvalidInputError.field(name, 'must be a UUID'),
    }),
    lowerCase,
  );
