import { randomInt } from 'node:crypto';
import { type LoadConfigOptions, loadConfig, settings } from '@saga/shared/config';
import { z } from 'zod';
import { type KnobSettings, knobsSchema } from './knobs.js';

/** An environment variable holding a number, checked like the knob it sets. */
const knob = <K extends 'declineRate' | 'timeoutChargedRate' | 'timeoutHoldMs' | 'seed'>(name: K) =>
  z.coerce.number().pipe(knobsSchema.shape[name]);

const envSchema = z
  .object({
    /** Loopback by default: the simulator is a test double, not something to expose. */
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port (tests); the listening address is logged either way. */
    GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
    GATEWAY_DECLINE_RATE: knob('declineRate').default(0),
    GATEWAY_LATENCY_MS: z
      .string()
      .regex(/^\d+(-\d+)?$/, 'expected min-max in milliseconds, e.g. 20-80')
      .default('0')
      .transform((value) => {
        const [min, max = min] = value.split('-').map(Number) as [number, number?];
        return { min, max };
      })
      .pipe(knobsSchema.shape.latencyMs),
    GATEWAY_TIMEOUT_CHARGED_RATE: knob('timeoutChargedRate').default(0),
    GATEWAY_TIMEOUT_HOLD_MS: knob('timeoutHoldMs').default(5_000),
    /** Without a seed a random one is chosen; it is logged at start so a run can be replayed. */
    GATEWAY_SEED: knob('seed').default(() => randomInt(0xffff_ffff)),
    LOG_LEVEL: settings.logLevel,
  })
  .transform(
    (env): GatewayConfig => ({
      host: env.GATEWAY_HOST,
      port: env.GATEWAY_PORT,
      logLevel: env.LOG_LEVEL,
      knobs: {
        declineRate: env.GATEWAY_DECLINE_RATE,
        latencyMs: env.GATEWAY_LATENCY_MS,
        timeoutChargedRate: env.GATEWAY_TIMEOUT_CHARGED_RATE,
        timeoutHoldMs: env.GATEWAY_TIMEOUT_HOLD_MS,
        outage: false,
        refuseRefunds: false,
        blackhole: false,
        seed: env.GATEWAY_SEED,
      },
    }),
  );

export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: z.infer<typeof settings.logLevel>;
  knobs: KnobSettings;
}

/** The only place the simulator reads its environment. */
export function loadGatewayConfig(
  options: LoadConfigOptions = { env: process.env },
): GatewayConfig {
  return loadConfig(envSchema, options);
}
