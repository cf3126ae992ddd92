import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@saga/shared/logger';
import type { KnobSettings } from './knobs.js';
import { startGatewayServer } from './server.js';

const quiet: KnobSettings = {
  declineRate: 0,
  latencyMs: { min: 0, max: 0 },
  timeoutChargedRate: 0,
  timeoutHoldMs: 20,
  outage: false,
  refuseRefunds: false,
  blackhole: false,
  seed: 1,
};

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected field by field
  body: any;
}

/** A simulator on a free port, closed when the test ends, and a small client for it. */
async function startGateway(t: TestContext, knobs: Partial<KnobSettings> = {}) {
  const server = await startGatewayServer({
    host: '127.0.0.1',
    port: 0,
    knobs: { ...quiet, ...knobs },
    logger: createLogger({ service: 'payment-gateway-simulator', level: 'silent' }),
  });
  t.after(() => server.close());
  const call = async (method: string, path: string, body?: unknown, key?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: await response.json(),
    } as Answer;
  };
  return {
    url: server.url,
    call,
    charge: (key: string, body: object) => call('POST', '/v1/charges', body, key),
    refund: (key: string, body: object) => call('POST', '/v1/refunds', body, key),
    get: (path: string) => call('GET', path),
    configure: (knobs: object) => call('PUT', '/admin/config', knobs),
  };
}

/** Whether `promise` settled within `ms`, and how: a swallowed request stays pending. */
const fateWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    sleep(ms).then(() => 'pending'),
  ]);

const order = (reference: string, token = 'tok_ok') => ({
  amountMinor: 1250,
  currency: 'EUR',
  token,
  reference,
});

function assertProblem(answer: Answer, status: number, slug: string, field?: string) {
  assert.equal(answer.status, status);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(answer.body.type, `urn:saga:payment-gateway:${slug}`);
  assert.equal(answer.body.status, status);
  if (field)
    assert.ok(
      answer.body.errors.some((e: { field: string }) => e.field === field),
      field,
    );
}

describe('charges', () => {
  it('approves a tok_ok charge', async (t) => {
    const gateway = await startGateway(t);
    const answer = await gateway.charge('k1', order('order-1'));
    assert.equal(answer.status, 201);
    assert.match(answer.body.chargeId, /^ch_/);
    assert.deepEqual(
      { ...answer.body, chargeId: 'x' },
      {
        chargeId: 'x',
        status: 'succeeded',
        amountMinor: 1250,
        currency: 'EUR',
        reference: 'order-1',
      },
    );
  });

  it('declines a tok_decline charge with 402', async (t) => {
    const gateway = await startGateway(t);
    const answer = await gateway.charge('k1', order('order-1', 'tok_decline'));
    assert.equal(answer.status, 402);
    assert.equal(answer.body.status, 'declined');
    assert.equal(answer.body.declineCode, 'card_declined');
    assert.deepEqual((await gateway.get('/admin/stats')).body, {
      charges: 0,
      declines: 1,
      refunds: 0,
      replays: 0,
      timeouts: 0,
    });
  });

  it('charges tok_timeout_charged without answering, and a retry with the same key returns the charge', async (t) => {
    const gateway = await startGateway(t);
    await assert.rejects(gateway.charge('k1', order('order-1', 'tok_timeout_charged')));
    const retry = await gateway.charge('k1', order('order-1', 'tok_timeout_charged'));
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    const charges = (await gateway.get('/v1/charges?reference=order-1')).body.data;
    assert.equal(charges.length, 1);
    assert.equal(charges[0].chargeId, retry.body.chargeId);
    assert.equal(charges[0].status, 'succeeded');
    const stats = (await gateway.get('/admin/stats')).body;
    assert.equal(stats.charges, 1);
    assert.equal(stats.timeouts, 1);
  });

  it('replays the stored response for the same key and body', async (t) => {
    const gateway = await startGateway(t);
    const first = await gateway.charge('k1', order('order-1'));
    const second = await gateway.charge('k1', { ...order('order-1'), currency: 'EUR' });
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(second.body, first.body);
    const stats = (await gateway.get('/admin/stats')).body;
    assert.equal(stats.charges, 1);
    assert.equal(stats.replays, 1);
  });

  it('answers 409 when a key is reused with a different body', async (t) => {
    const gateway = await startGateway(t);
    await gateway.charge('k1', order('order-1'));
    const reused = await gateway.charge('k1', { ...order('order-1'), amountMinor: 999 });
    assertProblem(reused, 409, 'idempotency-key-reused', 'Idempotency-Key');
  });

  it('records one charge for concurrent requests with the same key', async (t) => {
    const gateway = await startGateway(t, { latencyMs: { min: 0, max: 30 } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => gateway.charge('k1', order('order-1'))),
    );
    assert.ok(answers.every((answer) => answer.status === 201));
    assert.equal(new Set(answers.map((answer) => answer.body.chargeId)).size, 1);
    assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === null).length, 1);
    assert.equal((await gateway.get('/admin/stats')).body.charges, 1);
  });

  it('lists the charges of a reference, declined ones included', async (t) => {
    const gateway = await startGateway(t);
    await gateway.charge('k1', order('order-1', 'tok_decline'));
    await gateway.charge('k2', order('order-1'));
    await gateway.charge('k3', order('order-2'));
    const listed = (await gateway.get('/v1/charges?reference=order-1')).body.data;
    assert.deepEqual(
      listed.map((charge: { status: string }) => charge.status),
      ['declined', 'succeeded'],
    );
    assert.deepEqual((await gateway.get('/v1/charges?reference=order-9')).body, { data: [] });
  });

  it('shows a charge by id and answers 404 for an unknown one', async (t) => {
    const gateway = await startGateway(t);
    const { body } = await gateway.charge('k1', order('order-1'));
    const shown = await gateway.get(`/v1/charges/${body.chargeId}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.amountRefundedMinor, 0);
    assertProblem(await gateway.get('/v1/charges/ch_nope'), 404, 'charge-not-found', 'id');
  });
});

describe('refunds', () => {
  it('refunds once per key and rejects refunding more than was charged', async (t) => {
    const gateway = await startGateway(t);
    const { chargeId } = (await gateway.charge('c1', { ...order('order-1'), amountMinor: 1000 }))
      .body;
    const refund = { chargeId, amountMinor: 600, reason: 'OUT_OF_STOCK' };

    const first = await gateway.refund('r1', refund);
    assert.equal(first.status, 201);
    assert.match(first.body.refundId, /^re_/);
    assert.deepEqual(
      { ...first.body, refundId: 'x' },
      { refundId: 'x', chargeId, status: 'succeeded', amountMinor: 600 },
    );
    const replay = await gateway.refund('r1', refund);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, first.body);

    const tooMuch = await gateway.refund('r2', { ...refund, amountMinor: 401 });
    assertProblem(tooMuch, 422, 'refund-exceeds-charge', 'amountMinor');
    assert.equal((await gateway.refund('r3', { ...refund, amountMinor: 400 })).status, 201);

    const charge = (await gateway.get(`/v1/charges/${chargeId}`)).body;
    assert.equal(charge.amountRefundedMinor, 1000);
    assert.equal(charge.refunds.length, 2);
    assert.equal((await gateway.get('/admin/stats')).body.refunds, 2);
  });

  it('rejects refunding a declined charge', async (t) => {
    const gateway = await startGateway(t);
    const { chargeId } = (await gateway.charge('c1', order('order-1', 'tok_decline'))).body;
    const refund = await gateway.refund('r1', { chargeId, amountMinor: 1, reason: 'x' });
    assertProblem(refund, 422, 'refund-exceeds-charge', 'amountMinor');
  });

  it('answers 404 naming chargeId for an unknown charge', async (t) => {
    const gateway = await startGateway(t);
    const refund = await gateway.refund('r1', { chargeId: 'ch_nope', amountMinor: 1, reason: 'x' });
    assertProblem(refund, 404, 'charge-not-found', 'chargeId');
  });
});

describe('knobs', () => {
  it('answers 503 to every /v1 call during an outage and changes nothing', async (t) => {
    const gateway = await startGateway(t);
    assert.equal((await gateway.configure({ outage: true })).body.outage, true);
    const charge = await gateway.charge('k1', order('order-1'));
    assertProblem(charge, 503, 'gateway-unavailable');
    assert.equal(charge.headers.get('retry-after'), '1');
    assertProblem(await gateway.get('/v1/charges?reference=order-1'), 503, 'gateway-unavailable');
    assert.equal((await gateway.get('/admin/stats')).body.charges, 0);

    await gateway.configure({ outage: false });
    assert.equal((await gateway.charge('k1', order('order-1'))).status, 201);
  });

  it('swallows every /v1 call during a blackhole, processes none, and cuts them off once it ends', async (t) => {
    const gateway = await startGateway(t);
    assert.equal((await gateway.configure({ blackhole: true })).body.blackhole, true);
    const charge = gateway.charge('k1', order('order-1'));
    const lookup = gateway.get('/v1/charges?reference=order-1');
    assert.equal(await fateWithin(charge, 300), 'pending');
    assert.equal(await fateWithin(lookup, 0), 'pending');
    assert.equal((await gateway.get('/admin/stats')).body.charges, 0);

    await gateway.configure({ blackhole: false });
    assert.equal(await fateWithin(charge, 2_000), 'rejected');
    assert.equal(await fateWithin(lookup, 2_000), 'rejected');
    const retry = await gateway.charge('k1', order('order-1'));
    assert.equal(retry.status, 201);
    assert.equal(retry.headers.get('idempotent-replayed'), null, 'the swallowed charge was made');
  });

  it('cuts swallowed calls off when the server closes, so closing is prompt', async () => {
    const server = await startGatewayServer({
      host: '127.0.0.1',
      port: 0,
      knobs: { ...quiet, blackhole: true },
      logger: createLogger({ service: 'payment-gateway-simulator', level: 'silent' }),
    });
    const lookup = fetch(`${server.url}/v1/charges?reference=order-1`);
    assert.equal(await fateWithin(lookup, 300), 'pending');
    assert.equal(await fateWithin(server.close(), 2_000), 'resolved');
    assert.equal(await fateWithin(lookup, 0), 'rejected');
  });

  it('reproduces the same random declines from the same seed', async (t) => {
    const outcomes = async (gateway: Awaited<ReturnType<typeof startGateway>>, run: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        statuses.push((await gateway.charge(`${run}-${i}`, order(`${run}-${i}`))).status);
      }
      return statuses;
    };
    const one = await startGateway(t, { declineRate: 0.5, seed: 42 });
    const first = await outcomes(one, 'a');
    await one.configure({ seed: 42 });
    const again = await outcomes(one, 'b');
    const other = await startGateway(t, { declineRate: 0.5, seed: 42 });

    assert.deepEqual(again, first);
    assert.deepEqual(await outcomes(other, 'c'), first);
    assert.ok(first.includes(201) && first.includes(402), 'a mix of approvals and declines');
    const { declines } = (await one.get('/admin/stats')).body;
    assert.equal(declines, first.filter((status) => status === 402).length * 2);
  });

  it('charges but drops the answer for the configured share of tok_ok charges', async (t) => {
    const gateway = await startGateway(t, { timeoutChargedRate: 1 });
    await assert.rejects(gateway.charge('k1', order('order-1')));
    const stats = (await gateway.get('/admin/stats')).body;
    assert.equal(stats.charges, 1);
    assert.equal(stats.timeouts, 1);
  });

  it('shows and updates the knobs', async (t) => {
    const gateway = await startGateway(t);
    const updated = await gateway.configure({ declineRate: 0.25, latencyMs: { min: 1, max: 2 } });
    assert.deepEqual(updated.body, { ...quiet, declineRate: 0.25, latencyMs: { min: 1, max: 2 } });
    assert.deepEqual((await gateway.get('/admin/config')).body, updated.body);
  });
});

describe('validation', () => {
  it('names the field of each invalid charge input', async (t) => {
    const gateway = await startGateway(t);
    const cases: [object, string][] = [
      [{ ...order('o'), amountMinor: -5 }, 'amountMinor'],
      [{ ...order('o'), amountMinor: 1.5 }, 'amountMinor'],
      [{ ...order('o'), currency: 'eur' }, 'currency'],
      [{ ...order('o'), token: 'tok_nope' }, 'token'],
      [{ ...order('o'), reference: undefined }, 'reference'],
      [{ ...order('o'), extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      assertProblem(await gateway.charge('k1', body), 400, 'invalid-request', field);
    }
    // Rejected input does not use up the key.
    assert.equal((await gateway.charge('k1', order('o'))).status, 201);
  });

  it('names the Idempotency-Key header when it is missing', async (t) => {
    const gateway = await startGateway(t);
    const answer = await gateway.call('POST', '/v1/charges', order('o'));
    assertProblem(answer, 400, 'invalid-request', 'Idempotency-Key');
  });

  it('answers 400 naming the body for malformed JSON', async (t) => {
    const gateway = await startGateway(t);
    const answer = await gateway.call('POST', '/v1/refunds', '{"chargeId":', 'k1');
    assertProblem(answer, 400, 'malformed-json', 'body');
  });

  it('answers 413 for a body over its limit and 415 for a body that is not JSON', async (t) => {
    const gateway = await startGateway(t);
    const tooLarge = { ...order('o'), reference: 'x'.repeat(20 * 1024) };
    assertProblem(await gateway.charge('k1', tooLarge), 413, 'payload-too-large', 'body');
    const response = await fetch(`${gateway.url}/admin/config`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'declineRate=1',
    });
    const notJson = {
      status: response.status,
      headers: response.headers,
      body: await response.json(),
    };
    assertProblem(notJson, 415, 'unsupported-media-type', 'Content-Type');
  });

  it('names the field of invalid knobs and of a missing reference', async (t) => {
    const gateway = await startGateway(t);
    assertProblem(
      await gateway.configure({ declineRate: 2 }),
      400,
      'invalid-request',
      'declineRate',
    );
    assertProblem(
      await gateway.configure({ latencyMs: { min: 10, max: 5 } }),
      400,
      'invalid-request',
      'latencyMs.max',
    );
    assertProblem(await gateway.get('/v1/charges'), 400, 'invalid-request', 'reference');
  });

  it('answers unknown routes with a 404 problem', async (t) => {
    const gateway = await startGateway(t);
    assertProblem(await gateway.get('/v2/charges'), 404, 'not-found');
  });
});
