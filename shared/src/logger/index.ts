import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Field paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  '*.*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'paymentMethod.token',
  '*.paymentMethod.token',
  'paymentToken',
  '*.paymentToken',
];

export interface LoggerConfig {
  service: string;
  level?: LoggerOptions['level'];
  /** Extra paths to redact on top of {@link REDACTED_PATHS}. */
  redact?: readonly string[];
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/**
 * Standard output, written in batches: lines wait until 4 KiB have gathered or 100 ms have
 * passed. Written one by one, every line costs a write, a hop through libuv's thread pool and a
 * wake-up of the reader; a service logs a line per saga. The batch is flushed when the process
 * exits, even through process.exit(); a SIGKILL loses at most its last 100 ms of lines.
 */
const stdout = () => pino.destination({ dest: 1, minLength: 4096, periodicFlush: 100 });

/**
 * One JSON logger per service. Every line carries `service`; child loggers add `orderId`,
 * `eventId` and `traceId` for the event being handled. Credentials inside URLs are masked too.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    redact: { paths: [...REDACTED_PATHS, ...(config.redact ?? [])], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A driver's error may quote a connection string, in its message or in its cause's.
    serializers: { err: maskedError },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskUrlCredentials(arg) : arg)) as [string],
        );
      },
    },
  };
  return pino(options, config.destination ?? stdout());
}

/** pino's error serializer, with credentials in URLs masked in every string it keeps. */
function maskedError(error: Error): Record<string, unknown> {
  return maskStrings(pino.stdSerializers.err(error)) as Record<string, unknown>;
}

function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.map(maskStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, maskStrings(field)]),
    );
  }
  return value;
}

/** `postgres://user:secret@host` → `postgres://user:***@host`; also `redis://:secret@host`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+@/gi, '$1***@');
}
