import { jsonBody } from '@saga/shared/service/request-faults';
import { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { Blackhole } from './blackhole.js';
import type { Gateway } from './gateway.js';
import type { IdempotentResult } from './idempotency.js';
import { pause } from './pause.js';
import { problems } from './problem.js';
import {
  chargeQuerySchema,
  chargeRequestSchema,
  check,
  idempotencyKeySchema,
  parseRequest,
  refundRequestSchema,
} from './requests.js';

/** The `/v1` API the payment-service calls, with the blackhole, outage and latency knobs in front. */
export function paymentsRouter(
  gateway: Gateway,
  blackhole: Blackhole,
  signal: AbortSignal,
): Router {
  const router = Router();

  // First: a gateway gone silent does not even answer 503, and processes nothing.
  router.use((req, _res, next) => {
    if (gateway.knobs.current().blackhole) return blackhole.swallow(req.socket);
    next();
  });
  router.use((_req, res, next) => {
    if (!gateway.knobs.current().outage) return next();
    res.set('Retry-After', '1');
    throw problems.unavailable();
  });
  router.use(async (_req, _res, next) => {
    await pause(gateway.knobs.latencyMs(), signal);
    next();
  });
  router.use(jsonBody('16kb'));

  router.post('/charges', async (req, res) => {
    const { key, body } = idempotentRequest(req, chargeRequestSchema);
    const result = gateway.charge(key, body);
    if (!result.dropResponse) return send(res, result);
    // "Timed out but charged": the charge is stored, the caller never hears about it.
    await pause(gateway.knobs.current().timeoutHoldMs, signal);
    req.socket.destroy();
  });

  router.post('/refunds', (req, res) => {
    const { key, body } = idempotentRequest(req, refundRequestSchema);
    send(res, gateway.refund(key, body));
  });

  router.get('/charges/:id', (req, res) => {
    res.json(gateway.findCharge(req.params.id));
  });

  // Lets the payment-service settle a payment left pending: "did my charge go through?"
  router.get('/charges', (req, res) => {
    const { reference } = parseRequest(chargeQuerySchema, req.query, 'query');
    res.json({ data: gateway.chargesFor(reference) });
  });

  return router;
}

/** The key and the body, with every problem of both reported at once. */
function idempotentRequest<S extends z.ZodType>(req: Request, schema: S) {
  const key = check(idempotencyKeySchema, req.get('Idempotency-Key'), 'Idempotency-Key');
  const body = check(schema, req.body, 'body');
  if (key.ok && body.ok) return { key: key.data, body: body.data };
  throw problems.invalidRequest([...(key.ok ? [] : key.errors), ...(body.ok ? [] : body.errors)]);
}

function send(res: Response, { reply, replayed }: IdempotentResult): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  res.status(reply.status).json(reply.body);
}
