import { InvalidInputError } from '#common';
import { AppConfig, ConfigurationError, validateEnvironment } from '#config';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { assertDatabaseReachable, runMain, StartupError } from './startup.js';

const configFor = (DATABASE_URL: string) => new AppConfig(validateEnvironment({ DATABASE_URL }));

describe('assertDatabaseReachable', () => {
  it('explains an unreachable server in one line, without the password', async () => {
    const error = await assertDatabaseReachable(configFor('postgres://ngo:s3cret@127.0.0.1:1/case_tracker')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Cannot reach PostgreSQL at postgres:\/\/ngo:\*\*\*@127\.0\.0\.1:1\/case_tracker: ECONNREFUSED/,
    );
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('says how to create a database that does not exist', async () => {
    const error = await assertDatabaseReachable(
      configFor('postgres://postgres@127.0.0.1:5432/case_tracker_that_does_not_exist'),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain('(npm run migration:run creates and migrates it)');
  });
});

describe('runMain', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const failWith = async (error: unknown) => {
    const printed: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: unknown) => void printed.push(String(line)));
    const exited = new Promise<number>((resolve) => {
      jest.spyOn(process, 'exit').mockImplementation(((code: number) => resolve(code)) as never);
    });
    runMain('Demo seed', () => Promise.reject(error));
    return { code: await exited, printed };
  };

  it('prints known start-up problems as plain lines and exits with 1', async () => {
    expect(await failWith(new ConfigurationError(['PORT must be an integer number']))).toEqual({
      code: 1,
      printed: ['Invalid configuration:\n  - PORT must be an integer number'],
    });
    expect(await failWith(new StartupError('Cannot reach PostgreSQL at x: ECONNREFUSED'))).toEqual({
      code: 1,
      printed: ['Cannot reach PostgreSQL at x: ECONNREFUSED'],
    });
    expect(await failWith(InvalidInputError.field('persons[0].names', 'mark exactly one name as preferred'))).toEqual({
      code: 1,
      printed: ['Demo seed failed, invalid input:\n  - persons[0].names: mark exactly one name as preferred'],
    });
  });

  it('reports anything else by its message, without a stack trace', async () => {
    const { code, printed } = await failWith(new Error('boom'));
    expect(code).toBe(1);
    expect(printed).toEqual(['Demo seed failed: boom']);
  });
});
