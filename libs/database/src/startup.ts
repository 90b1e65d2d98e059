import { InvalidInputError } from '#common';
import { type AppConfig, ConfigurationError } from '#config';
import { checkDatabaseReachable, describeConnectionError } from './database-admin.js';

/** Start-up failed for a reason the operator can fix; its message is the whole story. */
export class StartupError extends Error {}

/** Fails with one readable line when PostgreSQL cannot be reached. */
export async function assertDatabaseReachable(config: AppConfig): Promise<void> {
  try {
    await checkDatabaseReachable(config.databaseUrl);
  } catch (error) {
    const missing = (error as { code?: string }).code === '3D000';
    const hint = missing ? ' (npm run migration:run creates and migrates it)' : '';
    throw new StartupError(
      `Cannot reach PostgreSQL at ${config.databaseUrlForDisplay}: ${describeConnectionError(error)}${hint}`,
      { cause: error },
    );
  }
}

function failureMessage(what: string, error: unknown): string {
  if (error instanceof ConfigurationError || error instanceof StartupError) return error.message;
  if (error instanceof InvalidInputError) {
    return `${what} failed, invalid input:\n${error.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n')}`;
  }
  return `${what} failed: ${describeConnectionError(error)}`;
}

/**
 * Runs a process entry point. Known start-up problems (bad configuration, PostgreSQL out of
 * reach, invalid input) are printed as plain lines without a stack trace; the exit code is 1.
 */
export function runMain(what: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(failureMessage(what, error));
    process.exit(1);
  });
}
