import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderView, ProductSeed } from '../saga/api.js';
import { CARDS, type OrderSpec, orderRequest, UNDELIVERABLE_POSTAL_CODE } from '../saga/orders.js';
import { allowedOutcomes, unexpectedOutcomes } from './expected.js';
import type { PlannedOrder } from './load.js';

const products: ProductSeed[] = [
  { productId: 'plenty', name: 'Plenty', priceMinor: 100, currency: 'EUR', stock: 100 },
  { productId: 'scarce', name: 'Scarce', priceMinor: 100, currency: 'EUR', stock: 3 },
];

const planned = (spec: Omit<OrderSpec, 'customerId'>): PlannedOrder => ({
  atMs: 0,
  idempotencyKey: 'key',
  request: orderRequest({ customerId: 'c', ...spec }),
  repeat: false,
});

describe('allowed outcomes of planned orders', () => {
  it('follow the card, the address and the stock, and always allow TIMED_OUT', () => {
    const allowed = allowedOutcomes(
      [
        planned({ productId: 'plenty' }),
        planned({ productId: 'plenty', token: CARDS.declined }),
        planned({ productId: 'plenty', postalCode: UNDELIVERABLE_POSTAL_CODE }),
        planned({ productId: 'scarce', quantity: 2, token: CARDS.timedOutButCharged }),
        planned({ productId: 'scarce', quantity: 2, postalCode: UNDELIVERABLE_POSTAL_CODE }),
      ],
      products,
    );
    assert.deepEqual(allowed, [
      ['COMPLETED', 'CANCELED TIMED_OUT'],
      ['CANCELED PAYMENT_DECLINED', 'CANCELED TIMED_OUT'],
      ['CANCELED DELIVERY_FAILED', 'CANCELED TIMED_OUT'],
      ['COMPLETED', 'CANCELED OUT_OF_STOCK', 'CANCELED TIMED_OUT'],
      ['CANCELED DELIVERY_FAILED', 'CANCELED OUT_OF_STOCK', 'CANCELED TIMED_OUT'],
    ]);
  });

  it('lets a product run out only when the plan orders more than its stock', () => {
    const allowed = allowedOutcomes([planned({ productId: 'scarce', quantity: 3 })], products);
    assert.deepEqual(allowed, [['COMPLETED', 'CANCELED TIMED_OUT']]);
  });
});

const view = (
  orderId: string,
  status: OrderView['status'],
  failureReason: OrderView['failureReason'] = null,
): OrderView => ({
  orderId,
  customerId: 'c',
  status,
  failureReason,
  amountMinor: 100,
  currency: 'EUR',
  items: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:01Z',
  timeline: [],
});

describe('unexpected outcomes', () => {
  const completes = ['COMPLETED', 'CANCELED TIMED_OUT'];

  it('names an ended order whose outcome its plan does not allow, with what it allows', () => {
    const found = unexpectedOutcomes(
      [
        { orderId: 'o-1', attempts: 1 },
        { orderId: 'o-2', attempts: 1 },
        { orderId: 'o-3', attempts: 1 },
      ],
      [completes, completes, completes],
      [
        view('o-1', 'COMPLETED'),
        view('o-2', 'CANCELED', 'TIMED_OUT'),
        view('o-3', 'CANCELED', 'PAYMENT_DECLINED'),
      ],
    );
    assert.deepEqual(found, [
      'o-3: CANCELED PAYMENT_DECLINED, expected COMPLETED or CANCELED TIMED_OUT',
    ]);
  });

  it('leaves orders not ended and orders never accepted to their own checks', () => {
    const found = unexpectedOutcomes(
      [
        { orderId: 'o-1', attempts: 1 },
        { attempts: 30, lastError: 'no answer' },
      ],
      [completes, completes],
      [view('o-1', 'PAID')],
    );
    assert.deepEqual(found, []);
  });
});
