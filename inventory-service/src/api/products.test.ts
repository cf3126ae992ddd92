import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  conforming,
  eventually,
  type InventoryUnderTest,
  startInventory,
} from '../testing/inventory-under-test.js';

describe('products API', () => {
  let inventory: InventoryUnderTest;

  before(async () => {
    inventory = await startInventory();
  });

  after(async () => {
    await inventory.stop();
  });

  type Auth = Record<string, string>;
  const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });
  const asOperator = async () => bearer(await inventory.credentials.admin());
  const asCustomer = async () => bearer(await inventory.credentials.customer('customer-1'));

  /** As an operator unless `auth` says otherwise: only the admin scope may write products. */
  async function put(id: string, body: unknown, auth?: Auth) {
    const response = await fetch(`${inventory.url}/products/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(auth ?? (await asOperator())) },
      body: JSON.stringify(body),
    });
    return conforming('PUT', response);
  }

  /** As a customer unless `auth` says otherwise: any authenticated caller may read a product. */
  async function get(id: string, auth?: Auth) {
    const response = await fetch(`${inventory.url}/products/${id}`, {
      headers: auth ?? (await asCustomer()),
    });
    return conforming('GET', response);
  }

  async function assertProblem(response: Response, status: number, type: string) {
    assert.equal(response.status, status);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await response.json()) as { type: string }).type, type);
  }

  it('creates a product with its stock and answers its view', async () => {
    const response = await put('espresso-cup', {
      name: 'Espresso cup',
      priceMinor: 1250,
      currency: 'EUR',
      stock: 7,
    });
    assert.equal(response.status, 200);
    const view = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(
      { ...view, updatedAt: undefined },
      {
        productId: 'espresso-cup',
        name: 'Espresso cup',
        priceMinor: 1250,
        currency: 'EUR',
        hotDeal: false,
        availableQuantity: 7,
        reservedQuantity: 0,
        updatedAt: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(String(view.updatedAt))));

    const shown = await get('espresso-cup');
    assert.equal(shown.status, 200);
    assert.deepEqual(await shown.json(), view);
  });

  it('emits product.upserted keyed by product id in the same transaction, and publishes it', async () => {
    await put('milk-jug', { name: 'Milk jug', priceMinor: 1999, currency: 'EUR', stock: 3 });
    const upserts = (await inventory.emitted('product.upserted')).filter(
      (event) => event.productId === 'milk-jug',
    );
    assert.equal(upserts.length, 1);
    assert.deepEqual(
      { ...upserts[0], eventId: undefined, occurredAt: undefined },
      {
        eventId: undefined,
        productId: 'milk-jug',
        occurredAt: undefined,
        name: 'Milk jug',
        priceMinor: 1999,
        currency: 'EUR',
        stock: 3,
        hotDeal: false,
      },
    );
    await eventually('the outbox row published', async () => {
      const { rows } = await inventory.database.pool.query(
        `SELECT 1 FROM outbox WHERE key = 'milk-jug' AND published_at IS NOT NULL`,
      );
      return rows.length === 1;
    });
  });

  it('replaces a product and its available stock, leaving reserved stock to the orders', async () => {
    await put('teapot', { name: 'Teapot', priceMinor: 3000, currency: 'EUR', stock: 10 });
    await inventory.database.pool.query(
      `UPDATE inventory SET available_quantity = 6, reserved_quantity = 4 WHERE product_id = 'teapot'`,
    );
    const response = await put('teapot', {
      name: 'Big teapot',
      priceMinor: 3500,
      currency: 'USD',
      stock: 20,
    });
    assert.equal(response.status, 200);
    const view = (await response.json()) as Record<string, unknown>;
    assert.equal(view.name, 'Big teapot');
    assert.equal(view.priceMinor, 3500);
    assert.equal(view.currency, 'USD');
    assert.equal(view.availableQuantity, 20);
    assert.equal(view.reservedQuantity, 4);
    assert.deepEqual(await inventory.stockOf('teapot'), { available: 20, reserved: 4 });

    const upserts = (await inventory.emitted('product.upserted')).filter(
      (event) => event.productId === 'teapot',
    );
    assert.deepEqual(
      upserts.map((event) => event.stock),
      [10, 20],
    );
    assert.ok(upserts[1]!.occurredAt >= upserts[0]!.occurredAt);
  });

  it('answers an unknown product with a 404 problem', async () => {
    await assertProblem(await get('no-such-product'), 404, '/problems/not-found');
  });

  it('answers bad input with a 400 problem naming every bad field, and changes nothing', async () => {
    const response = await put('bad-product', {
      name: '',
      priceMinor: 12.5,
      currency: 'eur',
      stock: -1,
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await response.json()) as { type: string; errors: { field: string }[] };
    assert.equal(problem.type, '/problems/validation');
    assert.deepEqual(problem.errors.map((error) => error.field).sort(), [
      'currency',
      'name',
      'priceMinor',
      'stock',
    ]);
    assert.equal((await get('bad-product')).status, 404);
  });

  it('names missing fields and rejects stock beyond a 32-bit integer', async () => {
    const missing = await put('bad-product', { name: 'Cup', stock: 2 ** 31 });
    assert.equal(missing.status, 400);
    const problem = (await missing.json()) as { errors: { field: string }[] };
    assert.deepEqual(problem.errors.map((error) => error.field).sort(), [
      'currency',
      'priceMinor',
      'stock',
    ]);
  });

  it('rejects a product id with characters outside the allowed set', async () => {
    const response = await put('bad%20id', {
      name: 'Cup',
      priceMinor: 1,
      currency: 'EUR',
      stock: 1,
    });
    assert.equal(response.status, 400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      ['id'],
    );
  });

  it('refuses a request without a valid bearer token with a 401 problem, and changes nothing', async () => {
    const product = { name: 'Sugar bowl', priceMinor: 900, currency: 'EUR', stock: 4 };
    for (const auth of [{}, { authorization: 'Basic b3BlcmF0b3I6c2VjcmV0' }] as Auth[]) {
      const response = await put('sugar-bowl', product, auth);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="saga"$/);
      await assertProblem(response, 401, '/problems/unauthenticated');
      await assertProblem(await get('sugar-bowl', auth), 401, '/problems/unauthenticated');
    }
    const forged = await put('sugar-bowl', product, bearer('not.a.token'));
    assert.match(forged.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    await assertProblem(forged, 401, '/problems/invalid-token');
    assert.equal((await get('sugar-bowl')).status, 404);
  });

  it("refuses a customer's PUT with a 403 problem and leaves the product as it was", async () => {
    const created = await put('cake-stand', {
      name: 'Cake stand',
      priceMinor: 2500,
      currency: 'EUR',
      stock: 5,
    });
    assert.equal(created.status, 200);
    const view = await created.json();

    const response = await put(
      'cake-stand',
      { name: 'Free cake stand', priceMinor: 0, currency: 'EUR', stock: 1000 },
      await asCustomer(),
    );
    assert.match(response.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    await assertProblem(response, 403, '/problems/forbidden');

    const shown = await get('cake-stand', await asCustomer());
    assert.equal(shown.status, 200);
    assert.deepEqual(await shown.json(), view);
    const upserts = (await inventory.emitted('product.upserted')).filter(
      (event) => event.productId === 'cake-stand',
    );
    assert.equal(upserts.length, 1);
  });
});
