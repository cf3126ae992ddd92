import type { Logger } from '@saga/shared/logger';
import { requestFault, unknownRoute } from '@saga/shared/service/request-faults';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { adminRouter } from './admin-api.js';
import { Blackhole } from './blackhole.js';
import type { Gateway } from './gateway.js';
import { paymentsRouter } from './payments-api.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problems } from './problem.js';

export interface AppOptions {
  gateway: Gateway;
  logger: Logger;
  /** Aborted on shutdown to cut simulated delays and held ("timed out", swallowed) requests short. */
  signal: AbortSignal;
}

export function createApp({ gateway, logger, signal }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const blackhole = new Blackhole(signal);
  app.use('/admin', adminRouter(gateway, blackhole, logger));
  app.use('/v1', paymentsRouter(gateway, blackhole, signal));
  app.use(unknownRoute);
  app.use(problemHandler(logger));
  return app;
}

function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { problem } = toProblemError(error, logger);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  };
}

function toProblemError(error: unknown, logger: Logger): ProblemError {
  if (error instanceof ProblemError) return error;
  const fault = requestFault(error);
  if (fault)
    return new ProblemError(fault.slug, fault.title, fault.status, fault.detail, fault.errors);
  logger.error({ err: error }, 'unexpected error');
  return problems.internal();
}
