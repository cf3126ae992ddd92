import { ADMIN_SCOPE } from '@saga/shared/auth';
import { parseInput, requireScope, type ServiceContext } from '@saga/shared/service';
import type { Express } from 'express';
import { orderViews } from '../db/orders.js';
import { type SagaReport, sagaReport, stuckSagas } from '../db/saga-reports.js';
import { awaitedEvents, refundRefused } from '../domain/saga-waits.js';
import { timelineJson } from './order-json.js';
import { sagaNotFound } from './problems.js';
import { sagaIdSchema, stuckQuerySchema } from './schemas.js';

/**
 * Operator endpoints (scope admin): GET /sagas?stuckFor=&limit= lists stuck sagas, least recently
 * moved first; GET /sagas/:orderId shows one saga, stuck or not, with its timeline.
 */
export function mountSagaRoutes(app: Express, context: ServiceContext) {
  const { db } = context.database;
  const readOrder = orderViews(db);
  app.get('/sagas', requireScope(ADMIN_SCOPE), async (request, response) => {
    const query = parseInput(stuckQuerySchema, request.query, 'query');
    const sagas = await stuckSagas(db, { stuckForSeconds: query.stuckFor, limit: query.limit });
    response.json({ items: sagas.map(sagaJson) });
  });
  app.get('/sagas/:orderId', requireScope(ADMIN_SCOPE), async (request, response) => {
    const { orderId } = parseInput(sagaIdSchema, request.params, 'params');
    const [saga, view] = await Promise.all([sagaReport(db, orderId), readOrder(orderId)]);
    if (!saga || !view) throw sagaNotFound(orderId);
    response.json({
      ...sagaJson(saga),
      timeline: timelineJson(view.timeline),
    });
  });
}

function sagaJson(saga: SagaReport) {
  return {
    orderId: saga.orderId,
    status: saga.status,
    failureReason: saga.failureReason,
    ageSeconds: Math.max(0, Math.floor((Date.now() - saga.startedAt.getTime()) / 1000)),
    deadline: saga.deadlineAt.toISOString(),
    lastEvent: saga.lastEvent && { ...saga.lastEvent, at: saga.lastEvent.at.toISOString() },
    waitingFor: awaitedEvents(saga.status, saga.facts),
    // Kept on the record after a retried refund went through; shown while it still holds.
    compensationFailure: refundRefused(saga.facts) ? saga.compensationFailure : null,
  };
}
