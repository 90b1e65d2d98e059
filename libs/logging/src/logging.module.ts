import { AppConfig } from '#config';
import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The request's id: a well-formed incoming `X-Request-Id`, or a new UUID. Sets it as `req.id`
 * (which pino-http then keeps) and echoes it in the `X-Request-Id` response header.
 */
export function assignRequestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Gives the request its id before anything else runs. Mount it first (`app.use`): the logger's
 * own middleware runs after the body parser and route matching, so a request refused there (bad
 * JSON, too large, a malformed URL) would otherwise be answered without an id.
 */
export function requestIdMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  assignRequestId(req, res);
  next();
}

/** Paths whose values must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
];

/** Any path of the calendar feeds, however Express would route it (any case, extra slashes). */
const CALENDAR_PATH = /^\/+calendar(\/|$)/i;
/** The feed of a public case, which holds no secret. */
const PUBLIC_CASE_FEED = /^\/calendar\/cases\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.ics$/i;

/**
 * A request URL as it may be logged: without the query (it can carry link tokens) and without
 * the secret token of a private calendar feed (`/calendar/<token>.ics`). Every calendar path but
 * a public case's feed is redacted, in whatever case or with whatever trailing slash or encoding it
 * came, since Express serves `/CALENDAR/<token>.ICS/` too.
 */
export function withoutSecrets(url: string | undefined): string | undefined {
  const path = url?.split('?')[0];
  if (path === undefined) return undefined;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed encoding is judged as it came.
  }
  return CALENDAR_PATH.test(decoded) && !PUBLIC_CASE_FEED.test(decoded) ? '/calendar/[redacted].ics' : path;
}

/**
 * Where log lines are written. Null, the default, is pino's own destination (stdout); a test can
 * override this provider with a stream of its own to read every line the application logs.
 */
export const LOG_DESTINATION = 'case-tracker:log-destination';

/**
 * Structured JSON logs (pino). Each HTTP request gets a request id, taken from a well-formed
 * `X-Request-Id` header or generated, echoed in the response and in every line it logs.
 * Bodies are never logged.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useValue: null }],
      inject: [AppConfig, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream | null): Params => {
        const options: Options = {
          level: config.env.LOG_LEVEL,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          genReqId: assignRequestId,
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: withoutSecrets(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        };
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
  ],
})
export class LoggingModule {}
