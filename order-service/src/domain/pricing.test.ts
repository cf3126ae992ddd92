import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CatalogProduct, priceOrder } from './pricing.js';

const catalog = new Map<string, CatalogProduct>(
  [
    { productId: 'cup', name: 'Espresso cup', priceMinor: 1250, currency: 'EUR' },
    { productId: 'jug', name: 'Milk jug', priceMinor: 1999, currency: 'EUR' },
    { productId: 'mug', name: 'Diner mug', priceMinor: 899, currency: 'USD' },
  ].map((product) => [product.productId, product]),
);

describe('pricing', () => {
  it('prices lines from the catalog and totals them', () => {
    const result = priceOrder(
      [
        { productId: 'cup', quantity: 2 },
        { productId: 'jug', quantity: 1 },
      ],
      catalog,
    );
    assert.deepEqual(result, {
      ok: true,
      order: {
        items: [
          { productId: 'cup', name: 'Espresso cup', quantity: 2, unitPriceMinor: 1250 },
          { productId: 'jug', name: 'Milk jug', quantity: 1, unitPriceMinor: 1999 },
        ],
        amountMinor: 4499,
        currency: 'EUR',
      },
    });
  });

  it('names every unknown product and non-positive quantity', () => {
    const result = priceOrder(
      [
        { productId: 'cup', quantity: 0 },
        { productId: 'nope', quantity: 1 },
        { productId: 'jug', quantity: -3 },
      ],
      catalog,
    );
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((problem) => problem.field), [
      'items.0.quantity',
      'items.1.productId',
      'items.2.quantity',
    ]);
  });

  it('refuses the same product on two lines', () => {
    const result = priceOrder(
      [
        { productId: 'cup', quantity: 1 },
        { productId: 'cup', quantity: 1 },
      ],
      catalog,
    );
    assert.deepEqual(!result.ok && result.problems.map((problem) => problem.field), [
      'items.1.productId',
    ]);
  });

  it('refuses items priced in different currencies', () => {
    const result = priceOrder(
      [
        { productId: 'cup', quantity: 1 },
        { productId: 'mug', quantity: 1 },
      ],
      catalog,
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problems[0]?.field, 'items');
    assert.match((!result.ok && result.problems[0]?.message) || '', /EUR, USD/);
  });

  it('refuses a total beyond exact integer arithmetic', () => {
    const huge = new Map([
      [
        'gold',
        { productId: 'gold', name: 'Gold', priceMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
      ],
    ]);
    const result = priceOrder([{ productId: 'gold', quantity: 2 }], huge);
    assert.equal(result.ok, false);
  });
});
