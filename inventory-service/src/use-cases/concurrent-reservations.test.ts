import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createAvroCodec, type EventCodec } from '@saga/shared/codec';
import type { ItemQuantity } from '@saga/shared/events';
import { createLogger } from '@saga/shared/logger';
import { unitsOfWork } from '@saga/shared/outbox';
import {
  createTestDatabase,
  sampleEvent,
  stackSettings,
  type TestDatabase,
} from '@saga/shared/testing';
import { MIGRATIONS } from '../testing/inventory-under-test.js';
import { reserveStock } from './reserve-stock.js';
import { upsertProduct } from './upsert-product.js';

// Many transactions at once, as several service instances would run them: the database alone
// must keep stock from going negative and orders from deadlocking.
describe('concurrent reservations', () => {
  let database: TestDatabase;
  let codec: EventCodec;
  const logger = createLogger({ service: 'inventory-test', level: 'silent' });

  before(async () => {
    database = await createTestDatabase(MIGRATIONS);
    codec = await createAvroCodec({ registryUrl: stackSettings().SCHEMA_REGISTRY_URL });
  });

  after(async () => {
    await database.drop();
  });

  function stock(productId: string, quantity: number) {
    return unitsOfWork(database.pool, codec, () => {})((unit) =>
      upsertProduct(unit, {
        productId,
        name: productId,
        priceMinor: 100,
        currency: 'EUR',
        stock: quantity,
        hotDeal: false,
      }),
    );
  }

  /** Reserves each order in its own transaction, all at once. */
  function reserveAll(orders: ItemQuantity[][]) {
    return Promise.all(
      orders.map((items) =>
        unitsOfWork(database.pool, codec, () => {})((unit) =>
          reserveStock(
            { ...unit, logger },
            sampleEvent('payment.completed', { orderId: randomUUID(), items }),
          ),
        ),
      ),
    );
  }

  async function outcomes(productId: string) {
    const { rows } = await database.pool.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM stock_reservations
        WHERE items @> $1::jsonb GROUP BY status ORDER BY status`,
      [JSON.stringify([{ productId }])],
    );
    return rows;
  }

  async function stockOf(productId: string) {
    const { rows } = await database.pool.query(
      `SELECT available_quantity AS available, reserved_quantity AS reserved
         FROM inventory WHERE product_id = $1`,
      [productId],
    );
    return rows[0];
  }

  it('sells a hot deal of 10 units to exactly 10 of 100 concurrent transactions', async () => {
    await stock('flash-sale', 10);
    await reserveAll(Array.from({ length: 100 }, () => [{ productId: 'flash-sale', quantity: 1 }]));

    assert.deepEqual(await outcomes('flash-sale'), [
      { status: 'FAILED', count: 90 },
      { status: 'RESERVED', count: 10 },
    ]);
    assert.deepEqual(await stockOf('flash-sale'), { available: 0, reserved: 10 });
  });

  it('never deadlocks orders that name the same products in opposite orders', async () => {
    await stock('left', 40);
    await stock('right', 40);
    await reserveAll(
      Array.from({ length: 60 }, (_, index) => {
        const lines = [
          { productId: 'left', quantity: 1 },
          { productId: 'right', quantity: 1 },
        ];
        return index % 2 === 0 ? lines : lines.reverse();
      }),
    );

    assert.deepEqual(await outcomes('left'), [
      { status: 'FAILED', count: 20 },
      { status: 'RESERVED', count: 40 },
    ]);
    assert.deepEqual(await stockOf('left'), { available: 0, reserved: 40 });
    assert.deepEqual(await stockOf('right'), { available: 0, reserved: 40 });
  });
});
