import { flattenValidationErrors, InvalidInputError } from '#common';
import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new InvalidInputError(flattenValidationErrors(errors)),
};

export function createValidationPipe(expectedType?: ValidationPipeOptions['expectedType']): ValidationPipe {
  return new ValidationPipe({ ...VALIDATION_OPTIONS, expectedType });
}
