import { type FieldError, InvalidInputError } from '#common';

export interface NameInput {
  value: string;
  preferred?: boolean;
  script?: string | null;
  lang?: string | null;
}

/**
 * Checks a person's list of names and returns the index of the preferred one.
 * Rules: at least one name; no name given twice in the same script; exactly one preferred,
 * except that a single name is preferred without saying so.
 */
export function preferredNameIndex(names: readonly NameInput[]): number {
  if (names.length === 0) throw InvalidInputError.field('names', 'at least one name is required');
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.value.trim() === '') errors.push({ field: `names[${i}].value`, message: 'must not be blank' });
    const key = `${name.script ?? ''}\u0000${name.value.trim().normalize('NFC').toLocaleLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ field: `names[${i}].value`, message: `repeats names[${first}] in the same script` });
    } else {
      seen.set(key, i);
    }
  });
  const preferred = names.flatMap((n, i) => (n.preferred ? [i] : []));
  if (preferred.length > 1) {
    errors.push({ field: 'names', message: `exactly one name must be preferred, ${preferred.length} are` });
  } else if (preferred.length === 0 && names.length > 1) {
    errors.push({ field: 'names', message: 'mark exactly one name as preferred' });
  }
  if (errors.length > 0) throw new InvalidInputError(errors);
  return preferred[0] ?? 0;
}
