import { flattenValidationErrors } from '#common';
import 'reflect-metadata';
import { CreateCaseDto, CreatePersonDto } from '#case-files';
import { CreateEventDto } from '#reference-data';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { VALIDATION_OPTIONS } from './validation.js';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const PERSON_ID = '0b6f7a4e-8f3a-4c1e-9d62-3f0a1f2b7c11';

function errorsFor<T extends object>(cls: new () => T, body: object) {
  return flattenValidationErrors(validateSync(plainToInstance(cls, body), OPTIONS));
}

describe('flattenValidationErrors', () => {
  it('names nested array fields by index: names[1].value', () => {
    const errors = errorsFor(CreatePersonDto, {
      names: [{ value: 'Zhanbolat Mamay', preferred: true }, { value: 42 }],
    });
    expect(errors).toEqual([
      {
        field: 'names[1].value',
        message: 'must be longer than or equal to 1 and shorter than or equal to 500 characters',
      },
      { field: 'names[1].value', message: 'must be a string' },
    ]);
  });

  it('names a bad field deep in a nested object: participants[0].personId, charges[1].maxSentence.years', () => {
    const errors = errorsFor(CreateCaseDto, {
      title: 'Prosecution of Zhanbolat Mamay',
      stage: 'trial',
      participants: [
        { personId: 'not-a-uuid', role: 'defendant' },
        { personId: PERSON_ID, role: 'judge' },
      ],
      charges: [
        { description: 'organizing riots', maxSentence: { years: 10 } },
        { description: 'x', maxSentence: { years: -1 } },
      ],
    });
    expect(errors).toEqual([
      { field: 'participants[0].personId', message: 'must be a UUID' },
      {
        field: 'participants[1].role',
        message: 'must be one of the following values: defendant, victim, relative, lawyer, witness',
      },
      { field: 'charges[1].maxSentence.years', message: 'must not be less than 0' },
    ]);
  });

  it('reports top-level fields by name and keeps messages that do not start with the property', () => {
    const errors = errorsFor(CreateCaseDto, {
      title: '',
      stage: 'sentencing',
      sourceIds: ['nope'],
      outcome: { verdict: 'convicted', date: { date: '2022-02-30', precision: 'day' } },
    });
    expect(errors).toEqual([
      { field: 'title', message: 'must be longer than or equal to 1 characters' },
      {
        field: 'stage',
        message:
          'must be one of the following values: investigation, awaiting-trial, trial, verdict, appeal, cassation, closed',
      },
      {
        field: 'outcome.date',
        message: 'is not a valid partial date: date must be a real date written YYYY, YYYY-MM or YYYY-MM-DD',
      },
      { field: 'sourceIds', message: 'each value in sourceIds must be a UUID' },
    ]);
  });

  it('names unknown properties, nested ones included', () => {
    const errors = errorsFor(CreatePersonDto, {
      names: [{ value: 'Inga Imanbai', nickname: 'x' }],
      secret: true,
    });
    expect(errors).toEqual([
      { field: 'secret', message: 'property secret should not exist' },
      { field: 'names[0].nickname', message: 'property nickname should not exist' },
    ]);
  });

  it('builds paths from a hand-made error tree', () => {
    const errors = flattenValidationErrors([
      {
        property: 'names',
        children: [
          {
            property: '1',
            children: [{ property: 'value', constraints: { isString: 'value must be a string' }, children: [] }],
          },
        ],
      },
      { property: 'sourceIds', constraints: { isArray: 'sourceIds must be an array' } },
    ]);
    expect(errors).toEqual([
      { field: 'names[1].value', message: 'must be a string' },
      { field: 'sourceIds', message: 'must be an array' },
    ]);
  });

  it('gives nothing for a valid body', () => {
    expect(
      errorsFor(CreateEventDto, { names: ['January 2022 unrest'], start: { date: '2022-01', precision: 'month' } }),
    ).toEqual([]);
  });

  it('is what the validation pipe reports', () => {
    const error = VALIDATION_OPTIONS.exceptionFactory!(
      validateSync(plainToInstance(CreatePersonDto, { names: [{ value: 'A' }, { value: 7 }] }), OPTIONS),
    ) as { errors: unknown };
    expect(error.errors).toEqual(expect.arrayContaining([{ field: 'names[1].value', message: 'must be a string' }]));
  });
});
