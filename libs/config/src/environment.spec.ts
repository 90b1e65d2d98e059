import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigurationError, ENVIRONMENT_VARIABLES, validateEnvironment } from './environment.js';

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    validateEnvironment(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected validateEnvironment to throw');
}

describe('validateEnvironment', () => {
  it('gives the documented defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/case_tracker',
      DATABASE_POOL_SIZE: 10,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'case-tracker',
      PORT: 3000,
      WORKER_HEALTH_PORT: 3001,
      LOG_LEVEL: 'info',
    });
  });

  it('treats empty strings as unset', () => {
    const env = validateEnvironment({
      DATABASE_URL: '',
      REDIS_URL: '',
      PORT: '',
      DATABASE_POOL_SIZE: '',
      LOG_LEVEL: '',
      NODE_ENV: '',
    });
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/case_tracker');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.NODE_ENV).toBe('development');
  });

  it('reads given values, turning numbers into numbers', () => {
    const env = validateEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:secret@db.internal:5433/tracker',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: '8080',
      WORKER_HEALTH_PORT: '0',
      DATABASE_POOL_SIZE: '25',
      QUEUE_PREFIX: 'tracker_prod-1',
      LOG_LEVEL: 'warn',
    });
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:secret@db.internal:5433/tracker',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: 8080,
      WORKER_HEALTH_PORT: 0,
      DATABASE_POOL_SIZE: 25,
      QUEUE_PREFIX: 'tracker_prod-1',
      LOG_LEVEL: 'warn',
    });
  });

  it('ignores variables it does not know', () => {
    const env = validateEnvironment({ HOME: '/root', PATH: '/usr/bin', PORT: '3005' }) as unknown as Record<
      string,
      unknown
    >;
    expect(env.PORT).toBe(3005);
    expect(env.HOME).toBeUndefined();
    expect(env.PATH).toBeUndefined();
  });

  it('throws a ConfigurationError listing every problem, one per variable', () => {
    const problems = problemsOf({
      NODE_ENV: 'staging',
      DATABASE_URL: 'mysql://root@127.0.0.1/case_tracker',
      REDIS_URL: 'http://127.0.0.1:6379',
      PORT: 'eighty',
      DATABASE_POOL_SIZE: '0',
      WORKER_HEALTH_PORT: '70000',
      QUEUE_PREFIX: 'bad prefix!',
      LOG_LEVEL: 'verbose',
    });
    expect(problems).toHaveLength(8);
    expect(problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL must be a postgres:// URL',
        'REDIS_URL must be a redis:// or rediss:// URL',
        'QUEUE_PREFIX may only contain letters, digits, - and _',
        'DATABASE_POOL_SIZE must not be less than 1',
        'WORKER_HEALTH_PORT must not be greater than 65535',
      ]),
    );
    expect(problems.find((p) => p.startsWith('NODE_ENV '))).toMatch(/development, production, test/);
    expect(problems.find((p) => p.startsWith('PORT '))).toMatch(/integer/);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL '))).toMatch(/fatal, error, warn, info, debug, trace, silent/);
  });

  it('puts each problem on its own line of the message', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: '3000.5', REDIS_URL: 'localhost:6379' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { message, problems } = error as ConfigurationError;
    expect(problems).toHaveLength(2);
    expect(message).toBe(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    expect(message).toContain('  - REDIS_URL must be a redis:// or rediss:// URL');
    expect(message).toContain('  - PORT must be an integer number');
  });

  it('reads WEBHOOK_ALLOW_PRIVATE_ADDRESSES as a boolean, false unless set, and refuses other words', () => {
    expect(validateEnvironment({}).WEBHOOK_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    expect(validateEnvironment({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: '' }).WEBHOOK_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    for (const [raw, value] of [
      ['true', true],
      [' TRUE ', true],
      ['1', true],
      ['false', false],
      ['False', false],
      ['0', false],
    ] as const) {
      expect(validateEnvironment({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: raw }).WEBHOOK_ALLOW_PRIVATE_ADDRESSES).toBe(value);
    }
    for (const raw of ['yes', 'on', '2']) {
      expect(problemsOf({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: raw })).toEqual([
        'WEBHOOK_ALLOW_PRIVATE_ADDRESSES must be true or false',
      ]);
    }
  });

  it('never echoes the values it refuses', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(problems).toEqual(['DATABASE_URL must be a postgres:// URL']);
    expect(problems.join(' ')).not.toContain('hunter2');
  });

  it("is documented: README's configuration table lists every variable, and no other", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
    );
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect([...new Set(documented)].sort()).toEqual([...new Set(ENVIRONMENT_VARIABLES)].sort());
  });
});
