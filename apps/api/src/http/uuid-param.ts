import { Param, ParseUUIDPipe } from '@nestjs/common';
import { InvalidInputError } from '#common';

/** A path parameter that must be a UUID; a malformed one answers 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => InvalidInputError.field(name, 'must be a UUID'),
    }),
  );
