import type { Database, Transaction } from '@saga/shared/db';
import { eq, sql } from 'drizzle-orm';
import { inventory, products } from './schema.js';

export interface ProductState {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  hotDeal: boolean;
  availableQuantity: number;
  reservedQuantity: number;
  updatedAt: Date;
}

export interface ProductChange {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  hotDeal: boolean;
  /** The new available quantity; reserved stock belongs to orders and is left alone. */
  stock: number;
}

/**
 * Creates or replaces a product and sets its available stock. `updated_at` is read from the clock
 * after the row lock is taken, so concurrent changes of one product get increasing times in
 * commit order (replicas keep the newest).
 */
export async function saveProduct(tx: Transaction, change: ProductChange): Promise<ProductState> {
  const { stock, ...product } = change;
  const [saved] = await tx
    .insert(products)
    .values({ ...product, updatedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: products.productId,
      set: {
        name: product.name,
        priceMinor: product.priceMinor,
        currency: product.currency,
        hotDeal: product.hotDeal,
        updatedAt: sql`clock_timestamp()`,
      },
    })
    .returning();
  const [stocked] = await tx
    .insert(inventory)
    .values({ productId: change.productId, availableQuantity: stock })
    .onConflictDoUpdate({
      target: inventory.productId,
      set: { availableQuantity: stock, version: sql`${inventory.version} + 1` },
    })
    .returning();
  return { ...saved!, availableQuantity: stock, reservedQuantity: stocked!.reservedQuantity };
}

export async function findProduct(
  db: Database,
  productId: string,
): Promise<ProductState | undefined> {
  const [found] = await db
    .select({
      productId: products.productId,
      name: products.name,
      priceMinor: products.priceMinor,
      currency: products.currency,
      hotDeal: products.hotDeal,
      availableQuantity: inventory.availableQuantity,
      reservedQuantity: inventory.reservedQuantity,
      updatedAt: products.updatedAt,
    })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.productId))
    .where(eq(products.productId, productId));
  return found;
}
