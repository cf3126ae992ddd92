import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestHash } from './request-hash.js';

describe('request hash', () => {
  it('is the same for the same body whatever the order of its keys', () => {
    assert.equal(
      requestHash({ customerId: 'c', items: [{ productId: 'p', quantity: 1 }] }),
      requestHash({ items: [{ quantity: 1, productId: 'p' }], customerId: 'c' }),
    );
  });

  it('differs when a value or the order of lines differs', () => {
    const body = {
      items: [
        { productId: 'p', quantity: 1 },
        { productId: 'q', quantity: 1 },
      ],
    };
    assert.notEqual(requestHash(body), requestHash({ items: [{ productId: 'p', quantity: 2 }] }));
    assert.notEqual(requestHash(body), requestHash({ items: [...body.items].reverse() }));
  });
});
