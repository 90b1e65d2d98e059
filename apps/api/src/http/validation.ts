import { type FieldError, flattenValidationErrors } from '#common';
import { BadRequestException, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

/** Thrown by the validation pipe; carries every bad field. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super('The request is not valid.');
  }
}

export { flattenValidationErrors };

export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
};

export function createValidationPipe(expectedType?: ValidationPipeOptions['expectedType']): ValidationPipe {
  return new ValidationPipe({ ...VALIDATION_OPTIONS, expectedType });
}
