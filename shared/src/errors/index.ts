/**
 * Every failure the platform raises says whether trying again can help. Retry and dead-letter
 * decisions branch on `retryable`, never on message text.
 */
export abstract class PlatformError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value does not match its event schema: the producer has a bug, retrying cannot help. */
export class SchemaValidationError extends PlatformError {
  readonly retryable = false;

  constructor(
    readonly topic: string,
    readonly problems: readonly string[],
  ) {
    super(`Event for ${topic} does not match its schema: ${problems.join('; ')}`);
  }
}

/** Bytes that cannot be decoded into an event (wrong format, unknown schema id, corrupt data). */
export class UndecodableEventError extends PlatformError {
  readonly retryable = false;
}

/** An event the handler declares impossible (e.g. refers to an order that cannot exist). */
export class ImpossibleEventError extends PlatformError {
  readonly retryable = false;
}

/** Infrastructure trouble expected to pass: connection loss, deadlock, broker unavailable. */
export class TransientError extends PlatformError {
  readonly retryable = true;
}

/** Whether trying again may succeed; errors the platform does not know are treated as transient. */
export function isRetryable(error: unknown): boolean {
  return error instanceof PlatformError ? error.retryable : true;
}
