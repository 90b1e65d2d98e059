import { existsSync } from 'node:fs';
import { Environment, validateEnvironment } from './environment.js';

let dotEnvLoaded = false;

/**
 * Reads `.env` from the working directory, if there is one, into `process.env`. Variables
 * already set in the environment win over the file. `npm run env:init` writes one for local use.
 */
export function loadDotEnv(): void {
  if (dotEnvLoaded) return;
  dotEnvLoaded = true;
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/**
 * Typed, validated configuration shared by the API, the worker and the command-line tools.
 */
export class AppConfig {
  constructor(readonly env: Environment) {}

  static fromProcessEnv(): AppConfig {
    loadDotEnv();
    return new AppConfig(validateEnvironment(process.env));
  }

  /** Browser origins allowed by CORS. */
  get corsOrigins(): string[] {
    return this.env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter((origin) => origin !== '');
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }

  /** The database URL without its password, safe for logs and error messages. */
  get databaseUrlForDisplay(): string {
    return redactUrl(this.env.DATABASE_URL);
  }

  get redisUrl(): string {
    return this.env.REDIS_URL;
  }

  get redisUrlForDisplay(): string {
    return redactUrl(this.env.REDIS_URL);
  }
}

function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
