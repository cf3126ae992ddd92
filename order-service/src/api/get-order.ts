import { parseInput, type ServiceContext } from '@saga/shared/service';
import type { RequestHandler } from 'express';
import { findOrder, findOrderItems } from '../db/orders.js';
import { findTimeline } from '../db/saga.js';
import { orderSummaryJson } from './order-json.js';
import { orderNotFound } from './problems.js';
import { orderIdSchema } from './schemas.js';

/** GET /orders/:id: the order, its lines and its saga timeline, read from one snapshot. */
export function getOrder(context: ServiceContext): RequestHandler {
  return async (request, response) => {
    const { id } = parseInput(orderIdSchema, request.params, 'params');
    const view = await context.database.db.transaction(
      async (tx) => {
        const order = await findOrder(tx, id);
        if (!order) return undefined;
        return { order, items: await findOrderItems(tx, id), timeline: await findTimeline(tx, id) };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    if (!view) throw orderNotFound(id);
    const { failureReason, createdAt, updatedAt, ...summary } = orderSummaryJson(view.order);
    response.json({
      ...summary,
      items: view.items,
      failureReason,
      createdAt,
      updatedAt,
      timeline: view.timeline.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
    });
  };
}
