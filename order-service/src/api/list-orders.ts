import { parseInput, principalOf, type ServiceContext } from '@saga/shared/service';
import type { RequestHandler } from 'express';
import { listOrders } from '../db/orders.js';
import { listedCustomer } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { orderSummaryJson } from './order-json.js';
import { listQuerySchema } from './schemas.js';

/**
 * GET /orders?customerId=&status=&limit=&cursor=: the caller's orders (any customer's for an
 * operator), newest first, keyset-paginated.
 */
export function listOrdersRoute(context: ServiceContext): RequestHandler {
  return async (request, response) => {
    const query = parseInput(listQuerySchema, request.query, 'query');
    const rows = await listOrders(context.database.db, {
      customerId: listedCustomer(principalOf(response), query.customerId),
      status: query.status,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1, // one more tells whether another page exists
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    response.json({
      items: page.map(orderSummaryJson),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    });
  };
}
