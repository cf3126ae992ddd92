import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { transaction } from '@saga/shared/db';
import { createTestDatabase, type TestDatabase } from '@saga/shared/testing';
import { claimDuePayments, postponePayment, recordCharge } from './payments.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

describe('payments repository', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase(migrationsFolder);
  });

  after(() => database.drop());

  /** A charge of a new order. */
  const newCharge = () => ({
    orderId: randomUUID(),
    amountMinor: 100,
    currency: 'EUR',
    customerId: 'c-1',
    causationId: randomUUID(),
    items: [{ productId: 'p-1', quantity: 1 }],
    shippingAddress: { line1: 'l', city: 'c', postalCode: '1', country: 'PT' },
    paymentToken: 'tok_ok',
    traceContext: {},
  });

  async function recordCharges(count: number): Promise<void> {
    await transaction(database.pool, async (tx) => {
      for (let i = 0; i < count; i++) await recordCharge(tx, newCharge());
    });
  }

  it('records one charge per order', async () => {
    const charge = newCharge();
    const recorded = await transaction(database.pool, (tx) => recordCharge(tx, charge));
    assert.equal(recorded?.orderId, charge.orderId);
    assert.equal(recorded?.attempts, 0);
    assert.equal(await transaction(database.pool, (tx) => recordCharge(tx, charge)), undefined);
    await claimDuePayments(database.db, 100, 60_000); // leave nothing due for the next test
  });

  it('records a charge claimed, as its first attempt, hidden from claims for the lease', async () => {
    const recorded = await transaction(database.pool, (tx) => recordCharge(tx, newCharge(), 300));
    assert.equal(recorded?.attempts, 1);
    assert.deepEqual(await claimDuePayments(database.db, 100, 60_000), []);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const [reclaimed] = await claimDuePayments(database.db, 100, 60_000);
    assert.equal(reclaimed?.id, recorded?.id);
    assert.equal(reclaimed?.attempts, 2);
  });

  it('never hands one payment to two concurrent claimers, and hides claimed ones for the lease', async () => {
    await recordCharges(12);
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => claimDuePayments(database.db, 3, 300)),
    );
    const ids = claims.flat().map((payment) => payment.id);
    assert.equal(new Set(ids).size, ids.length, 'no payment claimed twice');
    const rest = await claimDuePayments(database.db, 100, 300);
    assert.equal(ids.length + rest.length, 12);
    assert.deepEqual(await claimDuePayments(database.db, 100, 300), [], 'all leased');

    await sleep(400);
    const again = await claimDuePayments(database.db, 100, 60_000);
    assert.equal(again.length, 12, 'due again once the lease ran out');
    for (const payment of again) assert.equal(payment.attempts, 2);
  });

  it('lets only the latest claim postpone a payment', async () => {
    await recordCharges(1);
    const [first] = await claimDuePayments(database.db, 1, 1);
    assert.ok(first);
    await sleep(10);
    const [second] = await claimDuePayments(database.db, 1, 60_000);
    assert.equal(second?.id, first.id);
    const stale = { id: first.id, attempt: first.attempts };
    assert.equal(await postponePayment(database.db, stale, 0, 'late answer'), false);
    const current = { id: first.id, attempt: second!.attempts };
    assert.equal(await postponePayment(database.db, current, 60_000, 'timeout'), true);
  });
});
