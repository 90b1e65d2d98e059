import { Param, ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from './validation.js';

/** A path parameter that must be a UUID; a malformed one answers 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new RequestValidationError([{ field: name, message: 'must be a UUID' }]),
    }),
  );
