import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** `true` or `false` (also `1` or `0`, in any case); anything else is left for `@IsBoolean` to refuse. */
const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return word === 'true' || word === '1' ? true : word === 'false' || word === '0' ? false : value;
};

/**
 * Every environment variable the services read, with its default. This file and `config.ts`
 * are the only places that look at `process.env`.
 *
 * Validation stops at the first problem of each variable, and class-validator checks the
 * decorator nearest the property first: keep `@IsInt()` last so that `PORT=eighty` is reported
 * as "must be an integer number", not as out of range.
 */
export class Environment {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/case_tracker';

  @Transform(toInt)
  @Min(1)
  @Max(100)
  @IsInt()
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may only contain letters, digits, - and _' })
  QUEUE_PREFIX = 'case-tracker';

  @Transform(toInt)
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  /** API processes sharing `PORT` (Node cluster); 1 serves in the started process itself. */
  @Transform(toInt)
  @Min(1)
  @Max(64)
  @IsInt()
  API_PROCESSES = 1;

  @Transform(toInt)
  @Min(0)
  @Max(65535)
  @IsInt()
  WORKER_HEALTH_PORT = 3001;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** First admin, created at start-up when there are no users at all (then no longer read). */
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  ADMIN_PASSWORD?: string;

  /** `<keyId>:<base64 32 bytes>[,<older keyId>:<key>...]`: the first key encrypts, all decrypt. */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+\s*(,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+\s*)*$/, {
    message: 'DATA_ENCRYPTION_KEY must be <keyId>:<base64 key>[,<keyId>:<base64 key>...]',
  })
  DATA_ENCRYPTION_KEY?: string;

  /** Comma-separated origins allowed to call the API from a browser; empty allows none. */
  @Matches(/^\s*(https?:\/\/[^\s,]+\s*(,\s*https?:\/\/[^\s,]+\s*)*)?$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS = '';

  /** Lifetime of an access token from `POST /auth/login`. */
  @Transform(toInt)
  @Min(5)
  @Max(60 * 24 * 30)
  @IsInt()
  ACCESS_TOKEN_TTL_MINUTES = 480;

  /** Failed logins allowed per account, and per client address, within the window. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 5;

  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ADDRESS = 20;

  @Transform(toInt)
  @Min(1)
  @Max(86400)
  @IsInt()
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /** Where the API is reached from outside: links in messages (case, calendar, unsubscribe). */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_BASE_URL must be an http(s) URL' })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** SMTP server for alert emails: smtp://user:pass@host:port, or smtps:// for TLS. */
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  /** Sender of alert emails. */
  @IsString()
  MAIL_FROM = 'Case tracker <alerts@case-tracker.localhost>';

  /**
   * Whether webhooks may go to loopback, private, link-local and other non-public addresses
   * (development, tests, receivers inside the organisation's own network). Off by default, so
   * that a webhook URL cannot be used to reach internal services (server-side request forgery).
   */
  @Transform(toBoolean)
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE_ADDRESSES must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES = false;

  /** Attempts per delivery before a reminder is `failed` (retries back off exponentially). */
  @Transform(toInt)
  @Min(1)
  @Max(20)
  @IsInt()
  DELIVERY_ATTEMPTS = 6;

  /** First retry delay; each later one doubles. */
  @Transform(toInt)
  @Min(10)
  @Max(3_600_000)
  @IsInt()
  DELIVERY_BACKOFF_MS = 5000;

  /** Deliveries one worker process sends at the same time. */
  @Transform(toInt)
  @Min(1)
  @Max(500)
  @IsInt()
  WORKER_CONCURRENCY = 50;

  /** How late a reminder may still be sent (after a worker or Redis outage); later ones are `skipped`. */
  @Transform(toInt)
  @Min(1)
  @Max(10080)
  @IsInt()
  REMINDER_GRACE_MINUTES = 60;

  /** How often the reconciler re-enqueues reminders whose job is missing. */
  @Transform(toInt)
  @Min(1)
  @Max(3600)
  @IsInt()
  RECONCILE_INTERVAL_SECONDS = 60;

  /** The organisation named on every report ("Issued by ..."). */
  @IsString()
  @MaxLength(200)
  REPORT_ORGANISATION = 'Case tracker';

  /** IANA time zone in which a report's date of issue is given. */
  @IsTimeZone({ message: 'REPORT_TIME_ZONE must be an IANA time zone such as Asia/Almaty' })
  REPORT_TIME_ZONE = 'UTC';

  /** Hours an exported file is kept before it is deleted (the export's record stays, `expired`). */
  @Transform(toInt)
  @Min(1)
  @Max(8760)
  @IsInt()
  EXPORT_RETENTION_HOURS = 72;

  /** Express `trust proxy`: how many proxies in front may set X-Forwarded-For (0: none). */
  @Transform(toInt)
  @Min(0)
  @Max(10)
  @IsInt()
  TRUST_PROXY_HOPS = 0;
}

/** Every variable name, optional ones included. */
export const ENVIRONMENT_VARIABLES = [
  ...Object.keys(new Environment()),
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'DATA_ENCRYPTION_KEY',
];

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates raw variables (unset or empty ones take their defaults) and returns typed values. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = ENVIRONMENT_VARIABLES;
  const provided = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const env = plainToInstance(Environment, provided);
  const errors = validateSync(env, { whitelist: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigurationError(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  }
  return env;
}
