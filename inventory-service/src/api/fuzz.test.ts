import { after, before, describe, it } from 'node:test';
import { assertWellAnswered } from '@saga/shared/testing';
import fc from 'fast-check';
import {
  conforming,
  type InventoryUnderTest,
  startInventory,
} from '../testing/inventory-under-test.js';

/** Generated requests per route. */
const RUNS = 700;

describe('the products API under generated input', () => {
  let inventory: InventoryUnderTest;
  let admin: string;

  before(async () => {
    // One operator sends thousands of requests: the rate limit is not what is tested.
    inventory = await startInventory({ RATE_LIMIT_PER_CUSTOMER: '1000000' });
    admin = `Bearer ${await inventory.credentials.admin()}`;
  });

  after(() => inventory.stop());

  const productId = fc
    .oneof(
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/),
      fc.string({ minLength: 1, maxLength: 140 }),
    )
    // A URL drops a `.` or `..` segment before it is sent (RFC 3986, 5.2.4): no client can send
    // it as an id, and the request would reach another route.
    .filter((id) => id !== '.' && id !== '..');

  it('answers generated PUT /products/:id requests without a 5xx', async () => {
    const valid = { name: 'Cup', priceMinor: 1250, currency: 'EUR', stock: 3 };
    const body = fc.oneof(
      fc.jsonValue(),
      fc
        .dictionary(fc.constantFrom('name', 'priceMinor', 'currency', 'stock', 'x'), fc.jsonValue())
        .map((replaced) => ({ ...valid, ...replaced })),
    );
    await fc.assert(
      fc.asyncProperty(productId, body, async (id, payload) => {
        const path = `/products/${encodeURIComponent(id)}`;
        const response = await fetch(`${inventory.url}${path}`, {
          method: 'PUT',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        await assertWellAnswered(await conforming('PUT', response));
      }),
      { numRuns: RUNS },
    );
  });

  it('answers generated GET /products/:id requests without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(productId, async (id) => {
        const path = `/products/${encodeURIComponent(id)}`;
        const response = await fetch(`${inventory.url}${path}`, {
          headers: { authorization: admin },
        });
        await assertWellAnswered(await conforming('GET', response));
      }),
      { numRuns: RUNS },
    );
  });
});
