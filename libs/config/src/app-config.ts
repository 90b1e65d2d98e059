import { Environment, validateEnvironment } from './environment.js';

/**
 * Typed, validated configuration shared by the API, the worker and the command-line tools.
 */
export class AppConfig {
  constructor(readonly env: Environment) {}

  static fromProcessEnv(): AppConfig {
    return new AppConfig(validateEnvironment(process.env));
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
