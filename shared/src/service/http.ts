import type { Server } from 'node:http';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { startServerSpan, type TraceHeaders } from '../telemetry/index.js';
import { documentedRoutes, mountedRoutes, type OpenApiDocument } from './openapi.js';
import { problemHandler } from './problem.js';
import { type Check, runChecks } from './readiness.js';
import { jsonBody, unknownRoute } from './request-faults.js';

export interface HttpConfig {
  host: string;
  port: number;
  logger: Logger;
  metrics: PlatformMetrics;
  readiness: Record<string, Check>;
  /** Adds the service's own routes. */
  routes?: (app: Express) => void;
  /** Run before the service's routes, not health, readiness or metrics: limits, authentication. */
  guards?: RequestHandler[];
  /** The routes' contract, served at /openapi.json; a route it does not describe is an error. */
  openapi?: OpenApiDocument;
}

/**
 * A server span per request, continuing the caller's `traceparent`. Routes hand its context to
 * the unit of work (`requestTrace`), so the events a request writes to the outbox carry its
 * trace and one order's work across services forms one trace.
 */
const tracing: RequestHandler = (request, response, next) => {
  const span = startServerSpan(`${request.method} ${request.path}`, request.headers);
  response.locals.trace = span.headers;
  response.on('finish', () => span.end(response.statusCode));
  next();
};

/**
 * Times every request by the pattern of the route that answered it (`/orders/:id`, never the
 * path itself, which would make a series per order) or `unmatched`.
 */
function timing(metrics: PlatformMetrics): RequestHandler {
  return (request, response, next) => {
    const end = metrics.httpRequestDuration.startTimer();
    response.on('finish', () => {
      const route = request.route?.path;
      end({
        route: typeof route === 'string' ? request.baseUrl + route : 'unmatched',
        method: request.method,
        status_class: `${Math.floor(response.statusCode / 100)}xx`,
        // Slow on purpose: a latency alert leaves them out.
        long_poll: /\bwait=/.test(request.get('prefer') ?? '') ? 'true' : 'false',
      });
    });
    next();
  };
}

/** The trace context of the request `response` answers, for the events it writes. */
export const requestTrace = (response: Response): TraceHeaders =>
  (response.locals.trace as TraceHeaders | undefined) ?? {};

/**
 * Every service's HTTP surface: its routes plus /healthz, /readyz and /metrics, and every error as
 * application/problem+json. Health, readiness and metrics are open: keep them inside the cluster.
 */
export function createHttpApp(config: HttpConfig): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(tracing);
  app.use(timing(config.metrics));
  app.use(jsonBody('256kb'));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    const result = await runChecks(config.readiness);
    response.status(result.ok ? 200 : 503).json(result);
  });
  app.get('/metrics', async (_request, response) => {
    response
      .type(config.metrics.registry.contentType)
      .send(await config.metrics.registry.metrics());
  });
  const platformRoutes = mountedRoutes(app);
  if (config.openapi) {
    const document = config.openapi;
    app.get('/openapi.json', (_request, response) => {
      response.json(document);
    });
    platformRoutes.push('GET /openapi.json');
  }
  for (const guard of config.guards ?? []) app.use(guard);
  config.routes?.(app);
  if (config.openapi) {
    const documented = new Set(documentedRoutes(config.openapi));
    const undocumented = mountedRoutes(app).filter(
      (route) => !platformRoutes.includes(route) && !documented.has(route),
    );
    if (undocumented.length > 0) {
      throw new Error(`Routes missing from the OpenAPI document: ${undocumented.join(', ')}`);
    }
  }
  app.use(unknownRoute);
  app.use(problemHandler((error) => config.logger.error({ err: error }, 'request failed')));
  return app;
}

/** How long the server waits for a slow or idle client, ms (Node's defaults where not given). */
export interface ServerTimeouts {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

export function listen(
  app: Express,
  host: string,
  port: number,
  timeouts: ServerTimeouts = {},
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) =>
      error ? reject(error) : resolve(server),
    );
    if (timeouts.headersTimeoutMs) server.headersTimeout = timeouts.headersTimeoutMs;
    if (timeouts.requestTimeoutMs) server.requestTimeout = timeouts.requestTimeoutMs;
    if (timeouts.keepAliveTimeoutMs) server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  });
}
