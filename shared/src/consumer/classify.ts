import { PlatformError } from '../errors/index.js';

/**
 * - `transient`: infrastructure trouble that passes (connection loss, deadlock, serialization
 *   failure, broker or registry unavailable). Retried without limit: the partition waits.
 * - `permanent`: retrying cannot help (undecodable, invalid, impossible). Dead-lettered at once.
 * - `unknown`: anything else, most likely a bug. Retried a few times, then dead-lettered.
 *   (A TypeError, the usual programming bug, is dead-lettered after one attempt: p-retry never
 *   retries one.)
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/**
 * SQLSTATE classes and codes that describe the database's condition, not the event; 57014 is a
 * statement canceled by statement_timeout, under load.
 */
const TRANSIENT_SQLSTATE = /^(08|53|57014|57P0[1-3]|40001|40P01|55P03|58000|58030)/;

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const TRANSIENT_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof PlatformError) return error.retryable ? 'transient' : 'permanent';
  if (typeof error !== 'object' || error === null) return 'unknown';
  const { code, retriable, message } = error as {
    code?: unknown;
    retriable?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return TRANSIENT_SQLSTATE.test(code) ? 'transient' : 'unknown';
  }
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return 'transient';
  if (retriable === true) return 'transient'; // kafkajs marks its retriable protocol errors
  if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return 'transient';
  // drizzle wraps every driver error in a DrizzleQueryError: judge the driver's error it carries.
  const { cause } = error as { cause?: unknown };
  return cause === undefined || cause === error ? 'unknown' : classifyFailure(cause);
}
