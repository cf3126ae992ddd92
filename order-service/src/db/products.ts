import { statement, type Transaction } from '@saga/shared/db';
import type { ProductUpserted } from '@saga/shared/events';
import { sql } from 'drizzle-orm';
import type { CatalogProduct } from '../domain/pricing.js';
import type { Executor } from './executor.js';
import { products } from './schema.js';

/**
 * Applies a `product.upserted` to the replica unless the stored row comes from a newer event, so
 * replays and out-of-order deliveries never regress a price. Returns whether it was applied.
 */
export async function upsertProduct(tx: Transaction, event: ProductUpserted): Promise<boolean> {
  const applied = await tx
    .insert(products)
    .values({
      productId: event.productId,
      name: event.name,
      priceMinor: event.priceMinor,
      currency: event.currency,
      stock: event.stock,
      hotDeal: event.hotDeal,
      occurredAt: new Date(event.occurredAt),
    })
    .onConflictDoUpdate({
      target: products.productId,
      set: {
        name: sql`excluded.name`,
        priceMinor: sql`excluded.price_minor`,
        currency: sql`excluded.currency`,
        stock: sql`excluded.stock`,
        hotDeal: sql`excluded.hot_deal`,
        occurredAt: sql`excluded.occurred_at`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`products.occurred_at <= excluded.occurred_at`,
    })
    .returning({ productId: products.productId });
  return applied.length === 1;
}

const selectCatalog = statement<{ productIds: readonly string[] }>(sql`
  SELECT product_id, name, price_minor, currency, hot_deal FROM ${products}
  WHERE product_id = ANY(${sql.placeholder('productIds')}::text[])`);

/** A product as the replica holds it: what prices an order, and whether it passes the gate. */
export interface ReplicaProduct extends CatalogProduct {
  hotDeal: boolean;
}

/** The replica's view of the given products; unknown ids are simply absent. */
export async function findCatalog(
  executor: Executor,
  productIds: readonly string[],
): Promise<Map<string, ReplicaProduct>> {
  const rows = await selectCatalog(executor, { productIds });
  return new Map(
    rows.map((row) => {
      const product = {
        productId: String(row.product_id),
        name: String(row.name),
        priceMinor: Number(row.price_minor),
        currency: String(row.currency),
        hotDeal: row.hot_deal === true,
      };
      return [product.productId, product];
    }),
  );
}
