import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Verifier } from '../auth/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { authenticateRequest, bearerToken, principalOf } from './authentication.js';
import { rateLimiter } from './rate-limit.js';
import type { ServiceSettings } from './settings.js';

export interface ApiGuardsOptions {
  service: string;
  settings: ServiceSettings;
  verifier: Verifier;
  redis: Redis;
  metrics: PlatformMetrics;
}

/**
 * What every request to a service's API passes first: a limit per client address, the bearer
 * token, and a limit per customer. A token taken lately (see `Verifier.known`) costs no
 * signature check, so both limits are counted at once, in one Redis round trip. Any other token
 * is checked only once the address's limit let it through, so that a flood of bad tokens is cut
 * before it costs signature checks.
 */
export function apiGuards(options: ApiGuardsOptions): RequestHandler[] {
  const { settings, metrics, verifier } = options;
  const limits = (name: string, requests: number) => ({
    name,
    limit: { requests, windowSeconds: settings.RATE_LIMIT_WINDOW_SECONDS },
    redis: options.redis,
    keyPrefix: `${settings.KAFKA_TOPIC_PREFIX}${options.service}:`,
    onFailOpen: () => metrics.rateLimitFailOpen.inc(),
    onLimited: () => metrics.rateLimited.inc({ policy: name }),
  });
  const perAddress = rateLimiter({
    ...limits('ip', settings.RATE_LIMIT_PER_IP),
    key: (request) => request.ip ?? request.socket.remoteAddress ?? 'unknown',
  });
  const perCustomer = rateLimiter({
    ...limits('customer', settings.RATE_LIMIT_PER_CUSTOMER),
    key: (_request, response) => principalOf(response).subject,
  });
  const guard: RequestHandler = async (request, response, next) => {
    const token = bearerToken(request);
    const known = token === undefined ? undefined : verifier.known(token);
    if (known) {
      response.locals.principal = known;
      const [address, customer] = await Promise.all([
        perAddress.count(request, response),
        perCustomer.count(request, response),
      ]);
      if (perAddress.answer(response, address) && perCustomer.answer(response, customer)) next();
      return;
    }
    if (!perAddress.answer(response, await perAddress.count(request, response))) return;
    const principal = await authenticateRequest(verifier, request, response);
    if (!principal) return;
    response.locals.principal = principal;
    if (perCustomer.answer(response, await perCustomer.count(request, response))) next();
  };
  return [guard];
}
