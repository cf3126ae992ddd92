import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedPredecessors, canMove, ORDER_STATUSES, type OrderStatus } from './order-status.js';

/** Every allowed move, written out by hand from the saga flows plus the jumps early facts need. */
const ALLOWED: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PAID', 'STOCK_RESERVED', 'COMPENSATING', 'COMPLETED', 'CANCELED'],
  PAID: ['STOCK_RESERVED', 'COMPENSATING', 'COMPLETED', 'CANCELED'],
  STOCK_RESERVED: ['COMPENSATING', 'COMPLETED', 'CANCELED'],
  COMPENSATING: ['CANCELED'],
  COMPLETED: [],
  CANCELED: [],
};

describe('order status', () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${allowed ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        assert.equal(canMove(from, to), allowed);
      });
    }
  }

  it('lists the predecessors the semantic lock expects', () => {
    assert.deepEqual(allowedPredecessors('PAID'), ['PENDING']);
    assert.deepEqual(allowedPredecessors('STOCK_RESERVED'), ['PENDING', 'PAID']);
    assert.deepEqual(allowedPredecessors('COMPLETED'), ['PENDING', 'PAID', 'STOCK_RESERVED']);
    assert.deepEqual(allowedPredecessors('COMPENSATING'), ['PENDING', 'PAID', 'STOCK_RESERVED']);
    assert.deepEqual(allowedPredecessors('CANCELED'), [
      'PENDING',
      'PAID',
      'STOCK_RESERVED',
      'COMPENSATING',
    ]);
    assert.deepEqual(allowedPredecessors('PENDING'), []);
  });
});
