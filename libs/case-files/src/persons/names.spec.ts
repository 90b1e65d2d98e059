import { InvalidInputError } from '#common';
import { describe, expect, it } from '@jest/globals';
import { type NameInput, preferredNameIndex } from './names.js';

/** Runs `preferredNameIndex` and returns the field errors it throws. */
function errorsOf(names: NameInput[]) {
  try {
    preferredNameIndex(names);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).errors;
  }
  throw new Error('expected preferredNameIndex to throw');
}

describe('preferredNameIndex', () => {
  it('treats a single name as preferred without saying so', () => {
    expect(preferredNameIndex([{ value: 'Inga Imanbai' }])).toBe(0);
    expect(preferredNameIndex([{ value: 'Inga Imanbai', preferred: false }])).toBe(0);
    expect(preferredNameIndex([{ value: 'Inga Imanbai', preferred: true }])).toBe(0);
  });

  it('returns the index of the one preferred name', () => {
    expect(
      preferredNameIndex([
        { value: 'Zhanbolat Mamay', script: 'Latn' },
        { value: 'Жанболат Мамай', script: 'Cyrl', preferred: true },
        { value: 'Dzjanboelat Mamai', script: 'Latn', preferred: false },
      ]),
    ).toBe(1);
  });

  it('requires at least one name', () => {
    expect(errorsOf([])).toEqual([{ field: 'names', message: 'at least one name is required' }]);
  });

  it('refuses several names with none preferred', () => {
    expect(errorsOf([{ value: 'A' }, { value: 'B' }])).toEqual([
      { field: 'names', message: 'mark exactly one name as preferred' },
    ]);
  });

  it('refuses two preferred names', () => {
    expect(
      errorsOf([
        { value: 'A', preferred: true },
        { value: 'B', preferred: true },
        { value: 'C', preferred: true },
      ]),
    ).toEqual([{ field: 'names', message: 'exactly one name must be preferred, 3 are' }]);
  });

  it('refuses a blank value, naming its index', () => {
    expect(errorsOf([{ value: 'A', preferred: true }, { value: '   ' }])).toEqual([
      { field: 'names[1].value', message: 'must not be blank' },
    ]);
  });

  it('refuses the same spelling twice in the same script, naming the repeated field', () => {
    expect(
      errorsOf([
        { value: 'Zhanbolat Mamay', script: 'Latn', preferred: true },
        { value: 'Жанболат Мамай', script: 'Cyrl' },
        { value: ' zhanbolat mamay ', script: 'Latn' },
      ]),
    ).toEqual([{ field: 'names[2].value', message: 'repeats names[0] in the same script' }]);
    // Without a script, spellings are compared among themselves too.
    expect(errorsOf([{ value: 'Mamay', preferred: true }, { value: 'MAMAY' }])).toEqual([
      { field: 'names[1].value', message: 'repeats names[0] in the same script' },
    ]);
  });

  it('compares spellings after Unicode normalisation', () => {
    const composed = 'Asel\u00e9';
    const decomposed = 'Asele\u0301';
    expect(errorsOf([{ value: composed, preferred: true }, { value: decomposed }])).toEqual([
      { field: 'names[1].value', message: 'repeats names[0] in the same script' },
    ]);
  });

  it('allows the same text in different scripts', () => {
    expect(
      preferredNameIndex([
        { value: 'Mamay', script: 'Latn' },
        { value: 'Mamay', script: 'Cyrl', preferred: true },
        { value: 'Mamay' },
      ]),
    ).toBe(1);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf([{ value: 'A' }, { value: '' }, { value: 'a' }]);
    expect(errors).toEqual([
      { field: 'names[1].value', message: 'must not be blank' },
      { field: 'names[2].value', message: 'repeats names[0] in the same script' },
      { field: 'names', message: 'mark exactly one name as preferred' },
    ]);
  });
});
