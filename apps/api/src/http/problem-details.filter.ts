import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  RateLimitedError,
} from '#common';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemDetails } from './problem-details.js';

/** Errors raised by body-parser before a route runs (they carry an HTTP status and a `type`). */
const BODY_PARSER_DETAILS: Record<string, string> = {
  'entity.too.large': 'The request body is larger than the limit of this route.',
  'entity.parse.failed': 'The request body is not valid JSON.',
  'encoding.unsupported': 'The request body uses an unsupported content encoding.',
  'charset.unsupported': 'The request body uses an unsupported charset.',
  'request.aborted': 'The request was aborted by the client.',
  'uri.malformed': 'The URL is not correctly percent-encoded.',
};

/** PostgreSQL error codes that can only come from bad input, never from a bug. */
const PG_INPUT_ERRORS: Record<string, { status: number; detail: string }> = {
  '23505': { status: HttpStatus.CONFLICT, detail: 'A record with the same unique value already exists.' },
  '23503': {
    status: HttpStatus.CONFLICT,
    detail: 'The change refers to a record that does not exist or is still referenced.',
  },
  '22P02': { status: HttpStatus.BAD_REQUEST, detail: 'A value has an invalid format.' },
  '22007': { status: HttpStatus.BAD_REQUEST, detail: 'A date or time value is invalid.' },
  '22008': { status: HttpStatus.BAD_REQUEST, detail: 'A date or time value is out of range.' },
  '22003': { status: HttpStatus.BAD_REQUEST, detail: 'A number is out of range.' },
  '22001': { status: HttpStatus.BAD_REQUEST, detail: 'A value is too long.' },
  // PostgreSQL text cannot hold U+0000, which JSON strings can. Validation refuses it first,
  // naming the field; these are the safety net.
  '22021': {
    status: HttpStatus.BAD_REQUEST,
    detail: 'A text value contains a character that cannot be stored (U+0000).',
  },
  // jsonb refuses `\u0000` and unpaired surrogates (`\ud800`).
  '22P05': {
    status: HttpStatus.BAD_REQUEST,
    detail: 'A text value contains a character that cannot be stored (U+0000 or an unpaired surrogate).',
  },
};

/** `1048576` -> `1 MB`, `2048` -> `2 kB`: a body parser's limit as its option was written. */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} kB`;
  return `${bytes} bytes`;
}

/** What a body-parser error is told; a body over the limit is told the limit of the parser that refused it. */
function bodyParserDetail(error: { type: string; limit?: number }, fallback: string): string {
  if (error.type === 'entity.too.large' && typeof error.limit === 'number' && error.limit > 0) {
    return `The request body is larger than the ${sizeText(error.limit)} limit.`;
  }
  return BODY_PARSER_DETAILS[error.type] ?? fallback;
}

const NOT_NULL_VIOLATION = '23502';

/** `time_zone` -> `timeZone`: the request field a column stores (the naming strategy's reverse). */
const camelCase = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * An error from body-parser or Express's URL decoding (raw, or wrapped by Nest as the `cause`
 * of an HttpException). Their messages can quote the request, so they are replaced.
 */
function bodyParserError(exception: unknown): { status: number; type: string; limit?: number } | null {
  for (const candidate of [exception, (exception as { cause?: unknown } | null)?.cause]) {
    const e = candidate as
      { type?: unknown; status?: unknown; statusCode?: unknown; limit?: unknown } | null | undefined;
    const status = Number(e?.status ?? e?.statusCode);
    if (!(status >= 400 && status < 500)) continue;
    if (typeof e?.type === 'string') {
      return { status, type: e.type, ...(typeof e.limit === 'number' ? { limit: e.limit } : {}) };
    }
    if (candidate instanceof URIError) return { status, type: 'uri.malformed' };
  }
  return null;
}

const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'message', 'statusCode']);

/**
 * Members of an HttpException's response object beyond Nest's defaults (such as the health report
 * behind a 503 from /api/health) become problem extensions; Nest's own `error` text does not.
 */
function extensionsOf(response: unknown): Record<string, unknown> {
  if (typeof response !== 'object' || response === null) return {};
  return Object.fromEntries(
    Object.entries(response).filter(
      ([key, value]) => !RESERVED_MEMBERS.has(key) && !(key === 'error' && typeof value === 'string'),
    ),
  );
}

/**
 * What of an unexpected error may be logged. A database error's message, query and parameters
 * can hold the values of the request (names, notes), so only its code and location are kept.
 */
function loggableError(exception: unknown): unknown {
  if (!(exception instanceof QueryFailedError)) return exception;
  const driver = (exception.driverError ?? {}) as {
    code?: string;
    table?: string;
    column?: string;
    constraint?: string;
  };
  return {
    type: 'QueryFailedError',
    code: driver.code,
    table: driver.table,
    column: driver.column,
    constraint: driver.constraint,
    stack: exception.stack?.split('\n').slice(1).join('\n'),
  };
}

function problem(status: number, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, ...extra };
}

/**
 * Turns every error into an RFC 9457 `application/problem+json` response. Details never echo
 * submitted values; unexpected errors are logged with the request id and answered with a bare 500.
 */
/** The problem for a domain error from a library, or null for anything else. */
function fromDomainError(error: unknown): ProblemDetails | null {
  if (error instanceof NotFoundError) {
    return problem(404, { type: PROBLEM_TYPES.notFound, title: `${error.entity} not found`, detail: error.message });
  }
  if (error instanceof InvalidInputError) {
    return problem(400, {
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      detail: 'One or more fields are invalid.',
      errors: error.errors,
    });
  }
  if (error instanceof PreconditionFailedError) {
    return problem(412, {
      type: PROBLEM_TYPES.versionMismatch,
      title: 'Version mismatch',
      detail: error.message,
      currentVersion: error.currentVersion,
    });
  }
  if (error instanceof PreconditionRequiredError) {
    return problem(428, {
      type: PROBLEM_TYPES.preconditionRequired,
      title: 'If-Match required',
      detail: error.message,
    });
  }
  if (error instanceof ConflictError) {
    return problem(409, { type: PROBLEM_TYPES.conflict, detail: error.message });
  }
  if (error instanceof GoneError) {
    return problem(410, { detail: error.message });
  }
  if (error instanceof AuthenticationError) {
    return problem(401, { type: PROBLEM_TYPES.unauthenticated, title: 'Unauthorized', detail: error.message });
  }
  if (error instanceof ForbiddenError) {
    return problem(403, { type: PROBLEM_TYPES.forbidden, title: 'Forbidden', detail: error.message });
  }
  if (error instanceof RateLimitedError) {
    return problem(429, {
      type: PROBLEM_TYPES.rateLimited,
      detail: error.message,
      retryAfter: error.retryAfterSeconds,
    });
  }
  return null;
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = this.toProblem(exception, request);
    body.instance = request.originalUrl?.split('?')[0];
    if (request.id) body.requestId = String(request.id);
    if (body.status >= 500) {
      this.logger.error({ err: loggableError(exception), requestId: request.id }, 'unhandled error');
    }
    if (response.headersSent) return;
    if (exception instanceof RateLimitedError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof AuthenticationError) response.setHeader('WWW-Authenticate', 'Bearer realm="case-tracker"');
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    const domain = fromDomainError(exception);
    if (domain) return domain;
    const parser = bodyParserError(exception);
    if (parser) {
      return problem(parser.status, { detail: bodyParserDetail(parser, 'The request could not be read.') });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
      const detail =
        status === 404 && message === `Cannot ${request.method} ${request.originalUrl}`
          ? `No route ${request.method} ${request.originalUrl.split('?')[0]}.`
          : Array.isArray(message)
            ? message.join('; ')
            : typeof message === 'string'
              ? message
              : undefined;
      return problem(status, { ...extensionsOf(response), ...(detail ? { detail } : {}) });
    }
    if (exception instanceof QueryFailedError) {
      const { code, column } = (exception.driverError ?? {}) as { code?: string; column?: string };
      if (code === NOT_NULL_VIOLATION) {
        // A value the record cannot be without was sent as null and not caught by validation.
        return problem(400, {
          type: PROBLEM_TYPES.validation,
          title: 'Invalid request',
          detail: 'One or more fields are invalid.',
          errors: [{ field: column ? camelCase(column) : 'body', message: 'must not be null' }],
        });
      }
      const known = code ? PG_INPUT_ERRORS[code] : undefined;
      if (known) {
        return problem(known.status, {
          type: known.status === 409 ? PROBLEM_TYPES.conflict : 'about:blank',
          detail: known.detail,
        });
      }
    }
    const parserError = exception as { type?: unknown; status?: unknown; statusCode?: unknown };
    const parserStatus = Number(parserError?.status ?? parserError?.statusCode);
    if (typeof parserError?.type === 'string' && parserStatus >= 400 && parserStatus < 500) {
      return problem(parserStatus, {
        detail: BODY_PARSER_DETAILS[parserError.type] ?? 'The request body could not be read.',
      });
    }
    return problem(500, { detail: 'An unexpected error occurred. It has been logged with the request id.' });
  }
}
