import { z } from 'zod';

/** Reusable zod fields for the settings every service shares. */
export const settings = {
  kafkaBrokers: z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((broker) => broker.trim()))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port[,host:port...]'))),
  url: (protocols: readonly string[]) =>
    z.url().refine((value) => protocols.includes(new URL(value).protocol.slice(0, -1)), {
      message: `expected a ${protocols.join(' or ')} URL`,
    }),
  port: z.coerce.number().int().min(1).max(65535),
  positiveInt: z.coerce.number().int().positive(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** The connection settings written by the local stack, shared by services and tests. */
export const stackSchema = z.object({
  KAFKA_BROKERS: settings.kafkaBrokers,
  SCHEMA_REGISTRY_URL: settings.url(['http', 'https']),
  POSTGRES_URL: settings.url(['postgres', 'postgresql']),
  REDIS_URL: settings.url(['redis', 'rediss']),
});

export type StackSettings = z.infer<typeof stackSchema>;

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
