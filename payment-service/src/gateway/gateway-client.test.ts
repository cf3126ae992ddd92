import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@saga/shared/logger';
import { Registry } from 'prom-client';
import { type GatewayServer, startGatewayServer } from '../gateway-simulator/server.js';
import { type Breaker, createBreaker } from './circuit-breaker.js';
import { GatewayUnavailableError } from './errors.js';
import { createGatewayClient, type GatewayClient } from './gateway-client.js';

const logger = createLogger({ service: 'gateway-client-test', level: 'silent' });
const order = (reference: string, token: string) => ({
  amountMinor: 1250,
  currency: 'EUR',
  token,
  reference,
});

describe('gateway client', () => {
  let server: GatewayServer;
  let registry: Registry;
  let gateway: GatewayClient;
  let breaker: Breaker;

  before(async () => {
    server = await startGatewayServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      knobs: {
        declineRate: 0,
        latencyMs: { min: 0, max: 0 },
        timeoutChargedRate: 0,
        timeoutHoldMs: 5_000,
        outage: false,
        refuseRefunds: false,
        blackhole: false,
        seed: 1,
      },
    });
    registry = new Registry();
    breaker = createBreaker(
      'test-gateway',
      {
        errorThresholdPercentage: 50,
        volumeThreshold: 3,
        rollingCountTimeout: 10_000,
        resetTimeout: 60_000,
      },
      logger,
      registry,
    );
    // Generous: a loaded machine must not turn an ordinary answer into a timeout.
    gateway = createGatewayClient({ baseUrl: server.url, timeoutMs: 1_000, breaker });
  });

  after(async () => {
    breaker.shutdown();
    await server.close();
  });

  it('answers an approved charge with its charge id, the same on a retry with the key', async () => {
    const first = await gateway.charge('charge-a', order('a', 'tok_ok'));
    assert.equal(first.type, 'approved');
    assert.deepEqual(await gateway.charge('charge-a', order('a', 'tok_ok')), first);
    const [charge, ...more] = await gateway.chargesByReference('a');
    assert.equal(more.length, 0);
    assert.equal(first.type === 'approved' && first.transactionId, charge?.chargeId);
  });

  it('answers a declined card as declined, with the decline code', async () => {
    assert.deepEqual(await gateway.charge('charge-b', order('b', 'tok_decline')), {
      type: 'declined',
      declineCode: 'card_declined',
    });
  });

  it('answers a request the gateway refuses as rejected, with its detail', async () => {
    const answer = await gateway.charge('charge-c', order('c', 'tok_unknown'));
    assert.equal(answer.type, 'rejected');
    assert.equal(answer.type === 'rejected' && answer.status, 400);
  });

  it('refunds a charge', async () => {
    const charged = await gateway.charge('charge-d', order('d', 'tok_ok'));
    assert.ok(charged.type === 'approved');
    const refund = { chargeId: charged.transactionId, amountMinor: 1250, reason: 'OUT_OF_STOCK' };
    const refunded = await gateway.refund('refund-d', refund);
    assert.equal(refunded.type, 'approved');
    assert.deepEqual(await gateway.refund('refund-d', refund), refunded);
  });

  it('gives up on a call that times out', async () => {
    const started = Date.now();
    await assert.rejects(
      gateway.charge('charge-e', order('e', 'tok_timeout_charged')),
      GatewayUnavailableError,
    );
    assert.ok(
      Date.now() - started < 4_000,
      'abandoned at the client timeout, not the socket close',
    );
  });

  // Last: it leaves the circuit open.
  it('opens the circuit after repeated failures and then fails fast', async () => {
    await fetch(`${server.url}/admin/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outage: true }),
    });
    // Failures count against the successes earlier in the rolling window.
    for (let failures = 0; ; failures++) {
      const error: Error = await gateway.chargesByReference('f').catch((e) => e);
      assert.ok(error instanceof GatewayUnavailableError);
      if (/Breaker is open/.test(error.message)) break;
      assert.match(error.message, /answered 503/);
      assert.ok(failures < 20, 'the circuit opens');
    }
    const gauge = await registry.getSingleMetricAsString('saga_payment_gateway_circuit_state');
    assert.match(gauge, /saga_payment_gateway_circuit_state 2$/m);
  });
});
