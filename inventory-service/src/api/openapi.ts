import {
  bodyProblems,
  guardProblems,
  type OpenApiDocument,
  openApiDocument,
  problems,
} from '@saga/shared/service';
import { z } from 'zod';
import { productBody, productIdParams } from './product-input.js';

const product = z
  .object({
    productId: z.string(),
    name: z.string(),
    priceMinor: z.int(),
    currency: z.string(),
    hotDeal: z.boolean().meta({
      description: 'Sold through order-service’s gate, which refuses buyers once sold out',
    }),
    availableQuantity: z.int(),
    reservedQuantity: z.int().meta({ description: 'Held by reservations of orders in flight' }),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });

const view = { content: { 'application/json': { schema: product } } };

/** The contract of inventory-service's API, from the schemas its routes validate with. */
export const inventoryApiDocument: OpenApiDocument = openApiDocument(
  { title: 'inventory-service', version: '1', description: 'Products and their stock.' },
  {
    '/products/{id}': {
      put: {
        summary: 'Set a product, its price and its available stock (scope `admin`)',
        requestParams: { path: productIdParams },
        requestBody: { content: { 'application/json': { schema: productBody } } },
        responses: {
          200: { description: 'The product as stored', ...view },
          ...guardProblems,
          ...bodyProblems,
          ...problems({ 403: 'The token lacks scope `admin` (`/problems/forbidden`)' }),
        },
      },
      get: {
        summary: 'A product with its available and reserved stock',
        requestParams: { path: productIdParams },
        responses: {
          200: { description: 'The product', ...view },
          ...guardProblems,
          ...problems({
            400: 'Invalid product id (`/problems/validation`)',
            404: 'No such product (`/problems/not-found`)',
          }),
        },
      },
    },
  },
);
