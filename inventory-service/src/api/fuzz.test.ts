import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  conforming,
  type InventoryUnderTest,
  startInventory,
} from '../testing/inventory-under-test.js';

/** Generated requests per route. */
const RUNS = 700;

/** No 5xx; a 4xx is problem+json with its status, and a validation problem names each field. */
async function assertWellAnswered(response: Response) {
  assert.ok(response.status < 500, `answered ${response.status}: ${await response.clone().text()}`);
  if (response.status < 400) return;
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = (await response.json()) as {
    type?: string;
    status?: number;
    errors?: { field?: string; message?: string }[];
  };
  assert.equal(problem.status, response.status);
  if (problem.type === '/problems/validation') {
    assert.ok(problem.errors && problem.errors.length > 0, 'a validation problem lists errors');
    for (const error of problem.errors) assert.ok(error.field && error.message);
  }
}

describe('the products API under generated input', () => {
  let inventory: InventoryUnderTest;
  let admin: string;

  before(async () => {
    // One operator sends thousands of requests: the rate limit is not what is tested.
    inventory = await startInventory({ RATE_LIMIT_PER_CUSTOMER: '1000000' });
    admin = `Bearer ${await inventory.credentials.admin()}`;
  });

  after(() => inventory.stop());

  const productId = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/),
    fc.string({ minLength: 1, maxLength: 140 }),
  );

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
        await assertWellAnswered(await conforming('PUT', path, response));
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
        await assertWellAnswered(await conforming('GET', path, response));
      }),
      { numRuns: RUNS },
    );
  });
});
