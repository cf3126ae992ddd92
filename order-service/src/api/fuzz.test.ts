import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertWellAnswered } from '@saga/shared/testing';
import fc from 'fast-check';
import {
  type OrderServiceUnderTest,
  orderBody,
  startOrderService,
} from '../testing/order-service-under-test.js';

/** Generated requests per route: thousands over the API. */
const RUNS = 700;

/** A header value fetch can send: visible ASCII. */
const headerValue = fc
  .string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  })
  .filter((value) => value.length > 0);

describe('the order API under generated input', () => {
  let order: OrderServiceUnderTest;
  const productId = `cup-${randomBytes(3).toString('hex')}`;

  before(async () => {
    // One generated customer sends thousands of requests: the rate limit is not what is tested.
    order = await startOrderService({ RATE_LIMIT_PER_CUSTOMER: '1000000' });
    await order.seedProducts([{ productId, priceMinor: 1250 }]);
  });

  after(() => order.stop());

  it('answers generated POST /orders bodies and headers without a 5xx', async () => {
    const valid = orderBody([{ productId, quantity: 1 }]);
    // Mostly near-valid bodies with one part replaced, so the validation reaches every field.
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({
        items: fc.oneof(fc.constant(valid.items), fc.jsonValue()),
        shippingAddress: fc.oneof(fc.constant(valid.shippingAddress), fc.jsonValue()),
        paymentMethod: fc.oneof(fc.constant(valid.paymentMethod), fc.jsonValue()),
      }),
      fc.dictionary(fc.string(), fc.jsonValue()).map((extra) => ({ ...valid, ...extra })),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.option(headerValue, { nil: undefined }),
        fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain'),
        async (payload, key, contentType) => {
          const headers: Record<string, string> = { 'content-type': contentType };
          if (key !== undefined) headers['idempotency-key'] = key;
          await assertWellAnswered(
            await order.request(
              '/orders',
              { method: 'POST', headers, body: JSON.stringify(payload) },
              { customer: order.customerId },
            ),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers generated GET /orders/:id paths and Prefer headers without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 })),
        fc.option(headerValue, { nil: undefined }),
        async (id, prefer) => {
          const headers: Record<string, string> = {};
          // A long wait would only slow the test: a generated wait is cut to zero seconds.
          if (prefer !== undefined) headers.prefer = prefer.replace(/wait\s*=\s*\d+/gi, 'wait=0');
          await assertWellAnswered(
            await order.request(
              `/orders/${encodeURIComponent(id)}`,
              { headers },
              {
                customer: order.customerId,
              },
            ),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers generated GET /orders query strings without a 5xx', async () => {
    const parameter = fc.constantFrom('customerId', 'status', 'limit', 'cursor', 'other');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(parameter, fc.string({ maxLength: 60 })), { maxLength: 5 }),
        async (pairs) => {
          await assertWellAnswered(
            await order.request(
              `/orders?${new URLSearchParams(pairs)}`,
              {},
              {
                customer: order.customerId,
              },
            ),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
