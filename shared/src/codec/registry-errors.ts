import { PlatformError, TransientError, UndecodableEventError } from '../errors/index.js';

/** The registry refused a schema or its subject's settings: retrying cannot help, a person can. */
export class RegistryRejection extends PlatformError {
  readonly retryable = false;
}

/** The HTTP status of a registry client error; network failures arrive as 400 (mappersmith). */
export function registryStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Classifies a failed schema lookup. Only "not found" is permanent: every other status, network
 * failures included, may pass, so the partition should wait rather than dead-letter the event.
 */
export function lookupFailure(error: unknown, what: string): PlatformError {
  const reason = error instanceof Error ? error.message : String(error);
  return registryStatus(error) === 404
    ? new UndecodableEventError(`${what} is unknown to the schema registry`, { cause: error })
    : new TransientError(`Schema registry unavailable looking up ${what}: ${reason}`, {
        cause: error,
      });
}
