import type { UnitOfWork } from '@saga/shared/outbox';
import { type ProductChange, type ProductState, saveProduct } from '../db/products.js';
import { productUpserted } from '../events/outgoing.js';

/** Creates or replaces a product and its available stock, and tells the replicas. */
export async function upsertProduct(
  { tx, emit }: UnitOfWork,
  change: ProductChange,
): Promise<ProductState> {
  const product = await saveProduct(tx, change);
  await emit([productUpserted(product)]);
  return product;
}
