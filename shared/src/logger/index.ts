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
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskUrlCredentials(arg) : arg)) as [string],
        );
      },
    },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}

/** `postgres://user:secret@host` → `postgres://user:***@host`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
}
