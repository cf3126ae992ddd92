import { SERVICE_NAMES, type ServiceName } from '../services.js';
import type { PlatformDatabases } from './databases.js';
import type { DeliveryRow, OrderRow, PaymentRow, ReservationRow } from './rows.js';
import { heldByTimedOutOrders } from './timed-out.js';

export interface InvariantResult {
  id: number;
  name: string;
  passed: boolean;
  /** Order ids, product ids or customer ids that break it, with a short reason each. */
  counterexamples: string[];
}

export interface InvariantInputs {
  databases: PlatformDatabases;
  /** Stock each product was seeded with (the last PUT /products/:id before the run). */
  initialStock: ReadonlyMap<string, number>;
  /** Dead letters per service (from the DLQ topics), and how many a scenario poisoned on purpose. */
  deadLetters: Readonly<Record<ServiceName, number>>;
  expectedDeadLetters?: number;
}

async function rows<T>(pool: { query: (text: string) => Promise<{ rows: T[] }> }, text: string) {
  return (await pool.query(text)).rows;
}

function result(id: number, name: string, counterexamples: string[]): InvariantResult {
  return { id, name, passed: counterexamples.length === 0, counterexamples };
}

/** The platform invariants, checked against the four databases once quiescent. */
export async function checkInvariants(inputs: InvariantInputs): Promise<InvariantResult[]> {
  const { databases: db } = inputs;
  const orders = await rows<OrderRow>(
    db.order,
    'SELECT id, status, failure_reason, customer_id, amount_minor FROM orders',
  );
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const payments = await rows<PaymentRow>(
    db.payment,
    'SELECT order_id, kind, status, amount_minor, customer_id FROM payments',
  );
  const reservations = await rows<ReservationRow>(
    db.inventory,
    'SELECT order_id, status, items FROM stock_reservations',
  );
  const stock = await rows<{
    product_id: string;
    available_quantity: number;
    reserved_quantity: number;
  }>(db.inventory, 'SELECT product_id, available_quantity, reserved_quantity FROM inventory');
  const deliveries = await rows<DeliveryRow>(
    db.delivery,
    'SELECT order_id, status FROM deliveries',
  );

  const terminal = orders
    .filter((order) => order.status !== 'COMPLETED' && order.status !== 'CANCELED')
    .map((order) => `${order.id}: ${order.status}`);

  const inventory: string[] = [];
  const shipped = new Map<string, number>();
  for (const reservation of reservations) {
    if (reservation.status !== 'RESERVED') continue;
    if (orderById.get(reservation.order_id)?.status !== 'COMPLETED') continue;
    for (const item of reservation.items) {
      shipped.set(item.productId, (shipped.get(item.productId) ?? 0) + item.quantity);
    }
  }
  for (const row of stock) {
    if (row.available_quantity < 0 || row.reserved_quantity < 0) {
      inventory.push(`${row.product_id}: negative stock`);
    }
    const initial = inputs.initialStock.get(row.product_id);
    if (initial === undefined) continue;
    const completed = shipped.get(row.product_id) ?? 0;
    if (row.available_quantity + completed !== initial) {
      inventory.push(
        `${row.product_id}: initial ${initial} ≠ available ${row.available_quantity} + ` +
          `reserved by completed orders ${completed}`,
      );
    }
    // Once quiescent no reservation is in flight: what stays reserved is what completed orders took.
    if (row.reserved_quantity !== completed) {
      inventory.push(
        `${row.product_id}: reserved ${row.reserved_quantity} ≠ reserved by completed orders ${completed}`,
      );
    }
  }

  const money: string[] = [];
  const balance = new Map<string, bigint>();
  const add = (customer: string, amount: bigint) =>
    balance.set(customer, (balance.get(customer) ?? 0n) + amount);
  for (const payment of payments) {
    if (payment.status !== 'COMPLETED') continue;
    const amount = BigInt(payment.amount_minor);
    add(payment.customer_id, payment.kind === 'CHARGE' ? amount : -amount);
  }
  for (const order of orders) {
    if (order.status === 'COMPLETED') add(order.customer_id, -BigInt(order.amount_minor));
  }
  for (const [customer, left] of balance) {
    if (left !== 0n) money.push(`customer ${customer}: charged − refunded − completed = ${left}`);
  }

  const atMostOnce: string[] = [];
  const countBy = (keys: string[], what: string) => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [key, count] of counts) if (count > 1) atMostOnce.push(`${key}: ${count} ${what}`);
  };
  countBy(
    payments.filter((p) => p.kind === 'CHARGE').map((p) => p.order_id),
    'charges',
  );
  countBy(
    payments.filter((p) => p.kind === 'REFUND').map((p) => p.order_id),
    'refunds',
  );
  countBy(
    reservations.map((r) => r.order_id),
    'reservations',
  );
  countBy(
    deliveries.map((d) => d.order_id),
    'deliveries',
  );

  const compensated: string[] = [];
  const refunded = new Set(
    payments.filter((p) => p.kind === 'REFUND' && p.status === 'COMPLETED').map((p) => p.order_id),
  );
  for (const payment of payments) {
    if (payment.kind !== 'CHARGE' || payment.status !== 'COMPLETED') continue;
    if (orderById.get(payment.order_id)?.status === 'CANCELED' && !refunded.has(payment.order_id)) {
      compensated.push(`${payment.order_id}: canceled and charged, never refunded`);
    }
  }
  for (const reservation of reservations) {
    if (reservation.status !== 'RESERVED') continue;
    if (orderById.get(reservation.order_id)?.status === 'CANCELED') {
      compensated.push(`${reservation.order_id}: canceled, reservation never released`);
    }
  }

  const delivered: string[] = [];
  for (const name of SERVICE_NAMES) {
    const [pending] = await rows<{ n: number }>(
      db[name],
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    if (pending && pending.n > 0) delivered.push(`${name}: ${pending.n} outbox rows unpublished`);
  }
  const totalDeadLetters = Object.values(inputs.deadLetters).reduce((sum, n) => sum + n, 0);
  if (totalDeadLetters !== (inputs.expectedDeadLetters ?? 0)) {
    for (const [name, count] of Object.entries(inputs.deadLetters)) {
      if (count > 0) delivered.push(`${name}.dlq: ${count} dead letters`);
    }
  }

  return [
    result(1, 'every order is COMPLETED or CANCELED', terminal),
    result(
      2,
      'stock never negative; initial = available + reserved by completed orders',
      inventory,
    ),
    result(3, 'charged − refunded = total of COMPLETED orders, per customer', money),
    result(4, 'at most one charge, refund, reservation and delivery per order', atMostOnce),
    result(5, 'canceled orders that were charged are refunded, their stock released', compensated),
    result(6, 'every outbox row published; no unexpected dead letters', delivered),
    result(
      7,
      'TIMED_OUT orders hold no charge, no reserved stock, no started delivery',
      heldByTimedOutOrders({ orders, payments, reservations, deliveries, refunded }),
    ),
  ];
}
