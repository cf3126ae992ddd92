import type { Logger } from '@saga/shared/logger';
import CircuitBreaker from 'opossum';
import { Gauge, type Registry } from 'prom-client';

export interface CircuitBreakerOptions {
  /** Failure share (percent) within the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls within the rolling window before the circuit may open at all. */
  volumeThreshold: number;
  rollingCountTimeout: number;
  /** How long the circuit stays open before a trial call. */
  resetTimeout: number;
}

export interface Breaker {
  /** Runs `call` unless the circuit is open; a rejection of `call` counts as a failure. */
  fire<T>(call: () => Promise<T>): Promise<T>;
  shutdown(): void;
}

const STATE_VALUES = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * An opossum breaker around whatever call it is given, with its state as a gauge and every state
 * change logged. Answers the caller treats as final (a decline) must resolve, not reject.
 */
export function createBreaker(
  name: string,
  options: CircuitBreakerOptions,
  logger: Logger,
  registry: Registry,
): Breaker {
  const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    ...options,
    name,
    // Callers bound each call with their own AbortSignal.timeout.
    timeout: false,
  });
  const gauge = new Gauge({
    name: 'saga_payment_gateway_circuit_state',
    help: 'State of the payment gateway circuit breaker: 0 closed, 1 half-open, 2 open',
    registers: [registry],
  });
  gauge.set(STATE_VALUES.closed);
  const log = logger.child({ component: 'circuit-breaker', circuit: name });
  breaker.on('open', () => {
    gauge.set(STATE_VALUES.open);
    log.warn({ resetTimeoutMs: options.resetTimeout }, 'circuit opened: gateway calls fail fast');
  });
  breaker.on('halfOpen', () => {
    gauge.set(STATE_VALUES.halfOpen);
    log.info('circuit half-open: trying one call');
  });
  breaker.on('close', () => {
    gauge.set(STATE_VALUES.closed);
    log.info('circuit closed: gateway calls resume');
  });
  return {
    fire: <T>(call: () => Promise<T>) => breaker.fire(call) as Promise<T>,
    shutdown: () => breaker.shutdown(),
  };
}
