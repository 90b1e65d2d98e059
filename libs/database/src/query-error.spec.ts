import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { loggableError } from './query-error.js';

describe('loggableError', () => {
  it('describes a failed query by its code, table and constraint, without the values it quotes', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "Zhanbolat Mamay"'), {
      code: '22P02',
      table: 'persons',
    });
    const error = new QueryFailedError('SELECT $1::uuid', ['Zhanbolat Mamay'], driverError);
    const described = loggableError(error);
    expect(described.message).toBe('database error 22P02 (table persons)');
    expect(`${described.message}\n${described.stack}`).not.toContain('Zhanbolat');
    const unique = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'persons_external_id' }),
    );
    expect(loggableError(unique).message).toBe('database error 23505 (constraint persons_external_id)');
  });

  it('leaves other errors as they are', () => {
    const error = new TypeError('boom');
    expect(loggableError(error)).toBe(error);
    expect(loggableError('text').message).toBe('text');
  });
});
