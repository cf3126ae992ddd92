import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import type { InvariantResult } from '../invariants/index.js';
import { stackSettings } from '../launcher/index.js';
import { formatReport } from './print.js';
import { violations } from './report.js';
import { type KeptRun, runChaosKeepingData } from './run.js';

/**
 * A checker that cannot fail proves nothing. After a clean run, each test breaks the platform's
 * data from the outside the way a bug would, asserts the checker names exactly the broken
 * invariant(s) with the right counterexample, and mends the data for the next test.
 */
describe('chaos harness invariant checks', () => {
  let run: KeptRun;

  const query = async <T>(pool: 'order' | 'payment' | 'inventory' | 'delivery', sql: string) =>
    (await run.databases[pool].query(sql)).rows as T[];

  const one = async (pool: 'order' | 'payment' | 'inventory' | 'delivery', sql: string) => {
    const [row] = await query<{ id: string }>(pool, sql);
    assert.ok(row, `no row for: ${sql}`);
    return row.id;
  };

  /** Checks again; asserts exactly `ids` are broken and returns them by id. */
  async function broken(ids: number[]): Promise<Map<number, InvariantResult>> {
    const results = await run.recheck();
    const failed = results.filter((result) => !result.passed);
    assert.deepEqual(
      failed.map((result) => result.id),
      ids,
      JSON.stringify(failed, null, 2),
    );
    return new Map(failed.map((result) => [result.id, result]));
  }

  const mentions = (result: InvariantResult | undefined, text: string) =>
    assert.ok(
      result?.counterexamples.some((example) => example.includes(text)),
      `${text} not among ${JSON.stringify(result?.counterexamples)}`,
    );

  before(async () => {
    run = await runChaosKeepingData({ scenario: 'none', orders: 60, rate: 10, seed: 3 });
    assert.deepEqual(violations(run.report), [], formatReport(run.report));
  });

  after(async () => {
    await run?.dispose();
  });

  it('passes on the data of a clean run', async () => {
    await broken([]);
  });

  it('catches an order left open (1)', async () => {
    const id = await one(
      'order',
      "SELECT id FROM orders WHERE failure_reason = 'PAYMENT_DECLINED' LIMIT 1",
    );
    await query('order', `UPDATE orders SET status = 'PAID' WHERE id = '${id}'`);
    try {
      mentions((await broken([1])).get(1), `${id}: PAID`);
    } finally {
      await query('order', `UPDATE orders SET status = 'CANCELED' WHERE id = '${id}'`);
    }
  });

  it('catches stock that appears from nowhere (2)', async () => {
    const bump = (by: number) =>
      query(
        'inventory',
        `UPDATE inventory SET available_quantity = available_quantity + ${by} WHERE product_id = 'mouse'`,
      );
    await bump(1);
    try {
      mentions((await broken([2])).get(2), 'mouse: initial');
    } finally {
      await bump(-1);
    }
  });

  it('catches a charge of the wrong amount (3)', async () => {
    const id = await one(
      'payment',
      "SELECT id FROM payments WHERE kind = 'CHARGE' AND status = 'COMPLETED' LIMIT 1",
    );
    const [{ customer_id: customer } = { customer_id: '' }] = await query<{ customer_id: string }>(
      'payment',
      `SELECT customer_id FROM payments WHERE id = '${id}'`,
    );
    const bump = (by: number) =>
      query(
        'payment',
        `UPDATE payments SET amount_minor = amount_minor + ${by} WHERE id = '${id}'`,
      );
    await bump(100);
    try {
      mentions(
        (await broken([3])).get(3),
        `customer ${customer}: charged − refunded − completed = 100`,
      );
    } finally {
      await bump(-100);
    }
  });

  it('catches an order charged twice (3 and 4)', async () => {
    const [order] = await query<{ id: string; customer_id: string }>(
      'order',
      "SELECT id, customer_id FROM orders WHERE status = 'COMPLETED' LIMIT 1",
    );
    assert.ok(order);
    await query('payment', 'ALTER TABLE payments DROP CONSTRAINT payments_order_id_kind_unique');
    const extra = await one(
      'payment',
      'INSERT INTO payments (order_id, kind, status, amount_minor, currency, customer_id, causation_id) ' +
        `SELECT order_id, kind, status, amount_minor, currency, customer_id, causation_id FROM payments WHERE order_id = '${order.id}' AND kind = 'CHARGE' RETURNING id`,
    );
    try {
      const results = await broken([3, 4]);
      mentions(results.get(3), `customer ${order.customer_id}:`);
      mentions(results.get(4), `${order.id}: 2 charges`);
    } finally {
      await query('payment', `DELETE FROM payments WHERE id = '${extra}'`);
    }
  });

  it('catches an order delivered twice (4)', async () => {
    const [delivery] = await query<{ order_id: string }>(
      'delivery',
      'SELECT order_id FROM deliveries LIMIT 1',
    );
    assert.ok(delivery);
    await query('delivery', 'ALTER TABLE deliveries DROP CONSTRAINT deliveries_order_id_unique');
    const extra = await one(
      'delivery',
      'INSERT INTO deliveries (id, order_id, status, postal_code, reason) SELECT gen_random_uuid(), ' +
        `order_id, status, postal_code, reason FROM deliveries WHERE order_id = '${delivery.order_id}' RETURNING id`,
    );
    try {
      mentions((await broken([4])).get(4), `${delivery.order_id}: 2 deliveries`);
    } finally {
      await query('delivery', `DELETE FROM deliveries WHERE id = '${extra}'`);
    }
  });

  it('catches a canceled order whose refund is missing (3 and 5)', async () => {
    const [refund] = await query<Record<string, unknown>>(
      'payment',
      "SELECT * FROM payments WHERE kind = 'REFUND' AND status = 'COMPLETED' LIMIT 1",
    );
    assert.ok(refund, 'the run refunded nothing');
    await query('payment', `DELETE FROM payments WHERE id = '${refund.id}'`);
    try {
      const results = await broken([3, 5]);
      mentions(results.get(5), `${refund.order_id}: canceled and charged, never refunded`);
      mentions(results.get(3), `customer ${refund.customer_id}:`);
    } finally {
      await run.databases.payment.query(
        'INSERT INTO payments SELECT * FROM json_populate_record(NULL::payments, $1)',
        [JSON.stringify(refund)],
      );
    }
  });

  it('catches a canceled order whose stock stays reserved (5)', async () => {
    const [canceled] = await query<{ id: string }>(
      'order',
      "SELECT id FROM orders WHERE failure_reason = 'DELIVERY_FAILED' LIMIT 1",
    );
    assert.ok(canceled, 'the run has no undeliverable order');
    const set = (status: string) =>
      query(
        'inventory',
        `UPDATE stock_reservations SET status = '${status}' WHERE order_id = '${canceled.id}' RETURNING id`,
      );
    const [before] = await query<{ status: string }>(
      'inventory',
      `SELECT status FROM stock_reservations WHERE order_id = '${canceled.id}'`,
    );
    await set('RESERVED');
    try {
      mentions((await broken([5])).get(5), `${canceled.id}: canceled, reservation never released`);
    } finally {
      await set(before!.status);
    }
  });

  /**
   * Runs `test` on a canceled order of the run turned into one canceled at its deadline (the facts
   * of a `reason` order are those of a deadline that struck at the same step), then mends it.
   */
  async function asTimedOut(reason: string, test: (orderId: string) => Promise<void>) {
    const id = await one(
      'order',
      `SELECT id FROM orders WHERE failure_reason = '${reason}' LIMIT 1`,
    );
    const setReason = (to: string) =>
      query('order', `UPDATE orders SET failure_reason = '${to}' WHERE id = '${id}'`);
    await setReason('TIMED_OUT');
    try {
      await test(id);
    } finally {
      await setReason(reason);
    }
  }

  it('accepts TIMED_OUT orders that gave everything back, tombstones included (7)', async () => {
    await asTimedOut('DELIVERY_FAILED', () => broken([]).then(() => {}));
    // Canceled before its stock or delivery was asked for: the deadline leaves tombstones there.
    await asTimedOut('PAYMENT_DECLINED', async (id) => {
      await query(
        'inventory',
        "INSERT INTO stock_reservations (order_id, status, items, reason) VALUES ('" +
          `${id}', 'RELEASED', '[]', 'TIMED_OUT')`,
      );
      await query(
        'delivery',
        `INSERT INTO deliveries (id, order_id, status) VALUES (gen_random_uuid(), '${id}', 'CANCELED')`,
      );
      try {
        await broken([]);
      } finally {
        await query('inventory', `DELETE FROM stock_reservations WHERE order_id = '${id}'`);
        await query('delivery', `DELETE FROM deliveries WHERE order_id = '${id}'`);
      }
    });
  });

  it('catches a TIMED_OUT order whose charge is pending (7)', async () => {
    await asTimedOut('PAYMENT_DECLINED', async (id) => {
      const set = (status: string) =>
        query(
          'payment',
          `UPDATE payments SET status = '${status}' WHERE order_id = '${id}' AND kind = 'CHARGE'`,
        );
      await set('PENDING');
      try {
        mentions((await broken([7])).get(7), `${id}: TIMED_OUT, charge pending`);
      } finally {
        await set('FAILED');
      }
    });
  });

  it('catches a TIMED_OUT order charged and not refunded (3, 5 and 7)', async () => {
    await asTimedOut('DELIVERY_FAILED', async (id) => {
      const [refund] = await query<Record<string, unknown>>(
        'payment',
        `SELECT * FROM payments WHERE order_id = '${id}' AND kind = 'REFUND'`,
      );
      assert.ok(refund, `${id} has no refund`);
      await query('payment', `DELETE FROM payments WHERE id = '${refund.id}'`);
      try {
        const results = await broken([3, 5, 7]);
        mentions(results.get(7), `${id}: TIMED_OUT, charged and not refunded`);
      } finally {
        await run.databases.payment.query(
          'INSERT INTO payments SELECT * FROM json_populate_record(NULL::payments, $1)',
          [JSON.stringify(refund)],
        );
      }
    });
  });

  it('catches a TIMED_OUT order whose stock stays reserved (5 and 7)', async () => {
    await asTimedOut('DELIVERY_FAILED', async (id) => {
      const set = (status: string) =>
        query(
          'inventory',
          `UPDATE stock_reservations SET status = '${status}' WHERE order_id = '${id}'`,
        );
      await set('RESERVED');
      try {
        mentions((await broken([5, 7])).get(7), `${id}: TIMED_OUT, stock still reserved`);
      } finally {
        await set('RELEASED');
      }
    });
  });

  it('catches a TIMED_OUT order whose delivery started (7)', async () => {
    await asTimedOut('DELIVERY_FAILED', async (id) => {
      const [delivery] = await query<{ reason: string }>(
        'delivery',
        `SELECT reason FROM deliveries WHERE order_id = '${id}'`,
      );
      assert.ok(delivery, `${id} has no delivery`);
      await query(
        'delivery',
        `UPDATE deliveries SET status = 'STARTED', reason = NULL WHERE order_id = '${id}'`,
      );
      try {
        mentions((await broken([7])).get(7), `${id}: TIMED_OUT, delivery still started`);
      } finally {
        await query(
          'delivery',
          `UPDATE deliveries SET status = 'FAILED', reason = '${delivery.reason}' WHERE order_id = '${id}'`,
        );
      }
    });
  });

  it('catches an outbox row never published (6)', async () => {
    const id = await one(
      'order',
      'INSERT INTO outbox (event_id, topic, key, payload, headers) ' +
        "VALUES (gen_random_uuid(), 'order.created', 'tampered', '\\x00', '{}') RETURNING id",
    );
    try {
      mentions((await broken([6])).get(6), 'order: 1 outbox rows unpublished');
    } finally {
      await query('order', `DELETE FROM outbox WHERE id = ${id}`);
    }
  });

  it('catches a dead letter nobody poisoned on purpose (6)', async () => {
    const producer = createKafkaClient({
      clientId: 'chaos-invariants-test',
      brokers: stackSettings().KAFKA_BROKERS,
      logger: createLogger({ service: 'chaos-invariants-test', level: 'silent' }),
    }).producer();
    await producer.connect();
    await producer.send({
      topic: `${run.prefix}payment.dlq`,
      messages: [{ key: 'tampered', value: 'poison' }],
    });
    await producer.disconnect();
    mentions((await broken([6])).get(6), 'payment.dlq: 1 dead letters');
  });
});
