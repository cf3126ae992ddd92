import type { Transaction } from '@saga/shared/db';
import type { ItemQuantity } from '@saga/shared/events';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { ReservationFailure } from '../domain/reservation.js';
import { inventory } from './schema.js';

/** Unwinds the savepoint of {@link takeStock} when one line cannot be taken. */
class ShortLine extends Error {
  constructor(readonly productId: string) {
    super(`cannot take stock of product ${productId}`);
  }
}

/**
 * Moves every line from available to reserved, all or nothing: one conditional update per line (so
 * stock never goes negative, whatever runs concurrently), in the order given, inside a savepoint
 * that a short line rolls back. Returns why it failed, or undefined when every line was taken.
 */
export async function takeStock(
  tx: Transaction,
  lines: readonly ItemQuantity[],
): Promise<ReservationFailure | undefined> {
  try {
    await tx.transaction(async (savepoint) => {
      for (const { productId, quantity } of lines) {
        const taken = await savepoint
          .update(inventory)
          .set({
            availableQuantity: sql`${inventory.availableQuantity} - ${quantity}`,
            reservedQuantity: sql`${inventory.reservedQuantity} + ${quantity}`,
            version: sql`${inventory.version} + 1`,
          })
          .where(
            and(eq(inventory.productId, productId), gte(inventory.availableQuantity, quantity)),
          )
          .returning({ productId: inventory.productId });
        if (taken.length === 0) throw new ShortLine(productId);
      }
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof ShortLine)) throw error;
    return (await stockExists(tx, error.productId)) ? 'OUT_OF_STOCK' : 'UNKNOWN_PRODUCT';
  }
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
