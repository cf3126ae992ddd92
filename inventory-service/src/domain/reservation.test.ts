import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reservationLines, unreservableLines } from './reservation.js';

describe('reservation lines', () => {
  it('orders the lines by product id so every transaction locks rows in the same order', () => {
    assert.deepEqual(
      reservationLines([
        { productId: 'p-b', quantity: 1 },
        { productId: 'p-C', quantity: 2 },
        { productId: 'p-a', quantity: 3 },
      ]),
      [
        { productId: 'p-C', quantity: 2 },
        { productId: 'p-a', quantity: 3 },
        { productId: 'p-b', quantity: 1 },
      ],
    );
  });

  it('sums the quantities of a product named on several lines', () => {
    assert.deepEqual(
      reservationLines([
        { productId: 'p-2', quantity: 1 },
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 4 },
      ]),
      [
        { productId: 'p-1', quantity: 2 },
        { productId: 'p-2', quantity: 5 },
      ],
    );
  });

  it('gives the same lines when applied twice', () => {
    const lines = reservationLines([
      { productId: 'p-2', quantity: 1 },
      { productId: 'p-1', quantity: 2 },
    ]);
    assert.deepEqual(reservationLines(lines), lines);
  });
});

describe('unreservable lines', () => {
  it('accepts lines with positive whole quantities', () => {
    assert.equal(unreservableLines([{ productId: 'p-1', quantity: 1 }]), undefined);
  });

  it('rejects an order without items', () => {
    assert.equal(unreservableLines([]), 'the order has no items');
  });

  it('rejects a zero or negative quantity, which would add stock', () => {
    assert.match(
      unreservableLines([
        { productId: 'p-1', quantity: 1 },
        { productId: 'p-2', quantity: 0 },
      ]) ?? '',
      /product p-2/,
    );
    assert.match(
      unreservableLines([{ productId: 'p-3', quantity: -2 }]) ?? '',
      /-2 of product p-3/,
    );
  });
});
