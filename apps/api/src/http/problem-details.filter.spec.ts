import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemDetailsFilter } from './problem-details.filter.js';

/** Runs the filter on `exception` and answers what it sent. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    headersSent: false,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(text: string) {
      sent.body = JSON.parse(text) as Record<string, unknown>;
    },
  };
  const request = { method: 'PATCH', originalUrl: '/api/v1/advocates/1', id: 'req-1' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

const databaseError = (driverError: Record<string, unknown>) =>
  new QueryFailedError(
    'UPDATE advocates SET time_zone = $1',
    ['secret value'],
    Object.assign(new Error('x'), driverError),
  );

describe('problem details for database errors', () => {
  it('answers a NOT NULL violation with 400 naming the field, without the values', () => {
    const { status, body } = answer(databaseError({ code: '23502', column: 'time_zone' }));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      status: 400,
      errors: [{ field: 'timeZone', message: 'must not be null' }],
      requestId: 'req-1',
    });
    expect(JSON.stringify(body)).not.toContain('secret value');
  });

  it('answers a character jsonb cannot store (22P05) with 400, as text refusing U+0000 (22021) is', () => {
    for (const code of ['22P05', '22021']) {
      const { status, body } = answer(databaseError({ code }));
      expect([code, status]).toEqual([code, 400]);
      expect(body.detail).toMatch(/^A text value contains a character that cannot be stored \(U\+0000/);
      expect(JSON.stringify(body)).not.toContain('secret value');
    }
  });

  it('answers other unexpected database errors with a bare 500', () => {
    const { status, body } = answer(databaseError({ code: '42P01' }));
    expect(status).toBe(500);
    expect(body).not.toHaveProperty('errors');
  });
});

describe('problem details for body-parser errors', () => {
  const tooLarge = (limit: number) =>
    Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large', limit });

  it('tells the limit of the parser that refused the body', () => {
    for (const [limit, text] of [
      [1024 * 1024, '1 MB'],
      [2048, '2 kB'],
      [50 * 1024 * 1024, '50 MB'],
      [1500, '1500 bytes'],
    ] as const) {
      const { status, body } = answer(tooLarge(limit));
      expect([status, body.detail]).toEqual([413, `The request body is larger than the ${text} limit.`]);
    }
  });
});
