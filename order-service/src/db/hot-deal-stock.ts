import { statement } from '@saga/shared/db';
import { sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { type OrderRow, orderItems, orders, products, sagaInstances } from './schema.js';

/**
 * Units of a product still sellable as order-service's own facts tell: the stock inventory last
 * set, minus the units of orders that still have to draw from it (open, neither reserved nor
 * refused yet) and of those that drew from it (reserved after that stock was set, by inventory's
 * clock on both times, and not released). Read only to seed the gate, so a scan of the order
 * lines of one product is fine. It errs high only by orders inventory saw before order-service
 * did, which costs a compensation, never an oversale.
 */
const selectSellable = statement<{ productId: string }>(sql`
  SELECT greatest(0, p.stock - coalesce((
    SELECT sum(i.quantity) FROM ${orderItems} i
    JOIN ${sagaInstances} s ON s.order_id = i.order_id
    WHERE i.product_id = p.product_id AND (
      (s.status NOT IN ('COMPLETED', 'CANCELED')
        AND s.stock_reserved_at IS NULL AND s.stock_reservation_failed_at IS NULL)
      OR (s.stock_reserved_at > p.occurred_at AND s.stock_released_at IS NULL))
  ), 0)) AS sellable
  FROM ${products} p WHERE p.product_id = ${sql.placeholder('productId')}`);

/** See selectSellable; undefined for a product the replica does not know. */
export async function sellableUnits(
  executor: Executor,
  productId: string,
): Promise<number | undefined> {
  const [row] = await selectSellable(executor, { productId });
  return row && Number(row.sellable);
}

const selectEnded = statement<{ orderIds: readonly string[] }>(sql`
  SELECT id, status, failure_reason FROM ${orders}
  WHERE id = ANY(${sql.placeholder('orderIds')}::uuid[]) AND status IN ('COMPLETED', 'CANCELED')`);

/** How each of the given orders ended; orders still running or never placed are absent. */
export async function findEndings(
  executor: Executor,
  orderIds: readonly string[],
): Promise<Map<string, Pick<OrderRow, 'status' | 'failureReason'>>> {
  const rows = await selectEnded(executor, { orderIds });
  return new Map(
    rows.map((row) => [
      String(row.id),
      {
        status: row.status as OrderRow['status'],
        failureReason: row.failure_reason as OrderRow['failureReason'],
      },
    ]),
  );
}
