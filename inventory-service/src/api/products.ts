import { ADMIN_SCOPE } from '@saga/shared/auth';
import {
  HttpProblem,
  PROBLEM_BASE,
  parseInput,
  requestTrace,
  requireScope,
  type ServiceContext,
} from '@saga/shared/service';
import type { Express } from 'express';
import { findProduct, type ProductState } from '../db/products.js';
import { upsertProduct } from '../use-cases/upsert-product.js';
import { productBody, productIdParams } from './product-input.js';

function productView(product: ProductState) {
  return {
    productId: product.productId,
    name: product.name,
    priceMinor: product.priceMinor,
    currency: product.currency,
    hotDeal: product.hotDeal,
    availableQuantity: product.availableQuantity,
    reservedQuantity: product.reservedQuantity,
    updatedAt: product.updatedAt.toISOString(),
  };
}

/**
 * PUT sets a product and its available stock, for operators only (admin scope); GET shows
 * available and reserved stock to any authenticated caller.
 */
export function productRoutes(app: Express, context: ServiceContext): void {
  app.put('/products/:id', requireScope(ADMIN_SCOPE), async (request, response) => {
    const { id } = parseInput(productIdParams, request.params, 'params');
    const body = parseInput(productBody, request.body);
    const product = await context.transact(
      (unit) => upsertProduct(unit, { productId: id, ...body }),
      { trace: requestTrace(response) },
    );
    response.json(productView(product));
  });

  app.get('/products/:id', async (request, response) => {
    const { id } = parseInput(productIdParams, request.params, 'params');
    const product = await findProduct(context.database.db, id);
    if (!product) {
      throw new HttpProblem({
        type: `${PROBLEM_BASE}not-found`,
        title: 'Product not found',
        status: 404,
        detail: `There is no product "${id}"`,
      });
    }
    response.json(productView(product));
  });
}
