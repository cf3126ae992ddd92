import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@saga/shared/config';
import { loadGatewayConfig } from './config.js';

const load = (env: Record<string, string>) => loadGatewayConfig({ env, envFile: null });

describe('gateway simulator config', () => {
  it('defaults to 127.0.0.1:3004 with no failures and a random seed', () => {
    const config = load({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3004);
    assert.deepEqual(
      { ...config.knobs, seed: 0 },
      {
        declineRate: 0,
        latencyMs: { min: 0, max: 0 },
        timeoutChargedRate: 0,
        timeoutHoldMs: 5_000,
        outage: false,
        refuseRefunds: false,
        blackhole: false,
        seed: 0,
      },
    );
    assert.ok(Number.isInteger(config.knobs.seed));
  });

  it('reads the knobs from the environment', () => {
    const { knobs } = load({
      GATEWAY_DECLINE_RATE: '0.2',
      GATEWAY_LATENCY_MS: '20-80',
      GATEWAY_TIMEOUT_CHARGED_RATE: '0.05',
      GATEWAY_SEED: '7',
    });
    assert.equal(knobs.declineRate, 0.2);
    assert.deepEqual(knobs.latencyMs, { min: 20, max: 80 });
    assert.equal(knobs.timeoutChargedRate, 0.05);
    assert.equal(knobs.seed, 7);
    assert.deepEqual(load({ GATEWAY_LATENCY_MS: '15' }).knobs.latencyMs, { min: 15, max: 15 });
  });

  it('names each malformed variable', () => {
    assert.throws(
      () => load({ GATEWAY_LATENCY_MS: '80-20', GATEWAY_DECLINE_RATE: '1.5' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.startsWith('GATEWAY_LATENCY_MS')) &&
        error.problems.some((p) => p.startsWith('GATEWAY_DECLINE_RATE')),
    );
  });
});
