import { type FieldError, flattenValidationErrors, InvalidInputError } from '#common';
import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { inputProblems, withoutPrototypeKeys } from './body-depth.js';

export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new InvalidInputError(flattenValidationErrors(errors)),
};

/**
 * The DTO validation of Nest, plus what no body or query may hold whatever its DTO says (see
 * `inputProblems`): text PostgreSQL cannot store and keys named like `Object.prototype` members.
 * Those are reported with the DTO's own field errors, all in one 400.
 */
export class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = metadata.type === 'body' || metadata.type === 'query' ? inputProblems(value, metadata.data) : [];
    if (problems.length === 0) return super.transform(value, metadata);
    let others: FieldError[] = [];
    try {
      await super.transform(withoutPrototypeKeys(value), metadata);
    } catch (error) {
      if (error instanceof InvalidInputError) others = error.errors;
    }
    const seen = new Set(others.map((e) => `${e.field}\n${e.message}`));
    throw new InvalidInputError([...others, ...problems.filter((e) => !seen.has(`${e.field}\n${e.message}`))]);
  }
}

export function createValidationPipe(expectedType?: ValidationPipeOptions['expectedType']): ValidationPipe {
  return new InputValidationPipe({ ...VALIDATION_OPTIONS, expectedType });
}
