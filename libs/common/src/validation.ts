import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { type FieldError, InvalidInputError } from './errors.js';

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's error tree into `{field: "names[1].value", message}` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator prefixes messages with the bare property name; the field path replaces it.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Validates a plain object against a DTO class outside HTTP (imports, seeds) with the same
 * rules as the API: unknown fields are refused. Throws InvalidInputError naming each bad field.
 */
export function validateDto<T extends object>(type: new () => T, plain: unknown, fieldPrefix = ''): T {
  const instance = plainToInstance(type, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidInputError(flattenValidationErrors(errors, fieldPrefix));
  return instance;
}

/**
 * U+0000, or half of a surrogate pair without its other half: JSON and URLs can carry them, but
 * PostgreSQL can store neither (text refuses U+0000, jsonb both).
 */
// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const UNSTORABLE_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a text holding a character from `hasUnstorableCharacter` is told. */
export const UNSTORABLE_CHARACTER_MESSAGE = 'must not contain U+0000 or an unpaired surrogate (U+D800 to U+DFFF)';

/** True when `text` holds a character PostgreSQL cannot store: U+0000 or a lone surrogate. */
export function hasUnstorableCharacter(text: string): boolean {
  return UNSTORABLE_CHARACTER.test(text);
}
