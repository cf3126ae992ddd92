import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@saga/shared/config';
import { loadServiceConfig } from './config.js';

const stack = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const load = (env: Record<string, string> = {}) =>
  loadServiceConfig({ env: { ...stack, ...env }, envFile: null });

describe('payment-service config', () => {
  it('defaults to port 3001 and the local gateway simulator', () => {
    const config = load();
    assert.equal(config.PORT, 3001);
    assert.equal(config.PAYMENT_GATEWAY_URL, 'http://127.0.0.1:3004');
    assert.equal(config.PAYMENT_GATEWAY_TIMEOUT_MS, 2_000);
  });

  it('rejects a settler lease too short to cover a lookup and a charge', () => {
    assert.throws(
      () => load({ PAYMENT_GATEWAY_TIMEOUT_MS: '5000', PAYMENT_SETTLER_LEASE_MS: '9000' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((problem) => problem.startsWith('PAYMENT_SETTLER_LEASE_MS')),
    );
  });
});
