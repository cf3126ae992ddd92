import { statement, type Transaction } from '@saga/shared/db';
import type { ItemQuantity } from '@saga/shared/events';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { ReservationFailure } from '../domain/reservation.js';
import { inventory } from './schema.js';

/** Takes one line's quantity from available into reserved, if that much is available. */
const take = statement<ItemQuantity>(sql`
  UPDATE ${inventory}
  SET available_quantity = available_quantity - ${sql.placeholder('quantity')},
    reserved_quantity = reserved_quantity + ${sql.placeholder('quantity')},
    version = version + 1
  WHERE product_id = ${sql.placeholder('productId')}
    AND available_quantity >= ${sql.placeholder('quantity')}
  RETURNING product_id`);

/**
 * Moves every line from available to reserved, all or nothing: one conditional update per line (so
 * stock never goes negative, whatever runs concurrently), in the order given. When a line cannot
 * be taken, the lines taken before it are given back in the same transaction (cheaper than a
 * savepoint, which costs two statements on every reservation). Returns why it failed, or
 * undefined when every line was taken.
 */
export async function takeStock(
  tx: Transaction,
  lines: readonly ItemQuantity[],
): Promise<ReservationFailure | undefined> {
  const taken: ItemQuantity[] = [];
  for (const line of lines) {
    const [row] = await take(tx, line);
    if (!row) {
      await returnStock(tx, taken);
      return (await stockExists(tx, line.productId)) ? 'OUT_OF_STOCK' : 'UNKNOWN_PRODUCT';
    }
    taken.push(line);
  }
  return undefined;
}

/** Moves reserved stock back to available; the lines must have been taken by {@link takeStock}. */
export async function returnStock(tx: Transaction, lines: readonly ItemQuantity[]): Promise<void> {
  for (const { productId, quantity } of lines) {
    const returned = await tx
      .update(inventory)
      .set({
        availableQuantity: sql`${inventory.availableQuantity} + ${quantity}`,
        reservedQuantity: sql`${inventory.reservedQuantity} - ${quantity}`,
        version: sql`${inventory.version} + 1`,
      })
      .where(and(eq(inventory.productId, productId), gte(inventory.reservedQuantity, quantity)))
      .returning({ productId: inventory.productId });
    if (returned.length === 0) {
      // Only a bug gets here (reserved stock is never taken by anything else): fail loudly.
      throw new Error(`product ${productId} has less than ${quantity} reserved to return`);
    }
  }
}

async function stockExists(tx: Transaction, productId: string): Promise<boolean> {
  const rows = await tx
    .select({ productId: inventory.productId })
    .from(inventory)
    .where(eq(inventory.productId, productId));
  return rows.length > 0;
}
