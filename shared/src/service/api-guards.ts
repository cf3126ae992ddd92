import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Verifier } from '../auth/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { authenticate, principalOf } from './authentication.js';
import { rateLimit } from './rate-limit.js';
import type { ServiceSettings } from './settings.js';

export interface ApiGuardsOptions {
  service: string;
  settings: ServiceSettings;
  verifier: Verifier;
  redis: Redis;
  metrics: PlatformMetrics;
}

/**
 * What every request to a service's API passes first: a limit per client address (so that a
 * flood of bad tokens is cut before it costs a signature check), the bearer token, and a limit
 * per customer.
 */
export function apiGuards(options: ApiGuardsOptions): RequestHandler[] {
  const { settings, metrics } = options;
  const limits = (name: string, requests: number) => ({
    name,
    limit: { requests, windowSeconds: settings.RATE_LIMIT_WINDOW_SECONDS },
    redis: options.redis,
    keyPrefix: `${settings.KAFKA_TOPIC_PREFIX}${options.service}:`,
    onFailOpen: () => metrics.rateLimitFailOpen.inc(),
    onLimited: () => metrics.rateLimited.inc({ policy: name }),
  });
  return [
    rateLimit({
      ...limits('ip', settings.RATE_LIMIT_PER_IP),
      key: (request) => request.ip ?? request.socket.remoteAddress ?? 'unknown',
    }),
    authenticate(options.verifier),
    rateLimit({
      ...limits('customer', settings.RATE_LIMIT_PER_CUSTOMER),
      key: (_request, response) => principalOf(response).subject,
    }),
  ];
}
