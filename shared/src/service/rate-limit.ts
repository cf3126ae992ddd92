import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { PROBLEM_BASE, sendProblem } from './problem.js';

/** At most `requests` in each window of `windowSeconds`, per key. */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface RateLimitOptions {
  /** Names the policy in the headers and the metric: `ip`, `customer`. */
  name: string;
  limit: RateLimit;
  key: (request: Request, response: Response) => string;
  redis: Redis;
  /** Namespaces the counters in Redis, e.g. per service and environment. */
  keyPrefix: string;
  /** Redis could not be asked: the request passes (fail open), and the caller counts it. */
  onFailOpen: (error: unknown) => void;
  onLimited: () => void;
}

/**
 * Counts each request against its key's window in Redis (shared by every instance) and answers
 * `429` with `Retry-After` once the window is spent. Every answer carries the policy and what is
 * left of it (`RateLimit-Policy`, `RateLimit`: the IETF httpapi rate-limit headers draft). When
 * Redis is down or slow the API keeps serving: an outage of the limiter must not be one of the API.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { name, limit } = options;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.keyPrefix}ratelimit:${name}`,
    points: limit.requests,
    duration: limit.windowSeconds,
    rejectIfRedisNotReady: true,
  });
  const policy = `"${name}";q=${limit.requests};w=${limit.windowSeconds}`;
  const describe = (response: Response, state: RateLimiterRes) => {
    const resetSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    response.append('RateLimit-Policy', policy);
    response.append('RateLimit', `"${name}";r=${state.remainingPoints};t=${resetSeconds}`);
    return resetSeconds;
  };
  return async (request, response, next) => {
    let state: RateLimiterRes;
    try {
      state = await limiter.consume(options.key(request, response));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        options.onFailOpen(rejection);
        return next();
      }
      options.onLimited();
      const retryAfter = describe(response, rejection);
      response.set('Retry-After', String(retryAfter));
      return sendProblem(response, {
        type: `${PROBLEM_BASE}too-many-requests`,
        title: 'Too many requests',
        status: 429,
        detail: `More than ${limit.requests} requests in ${limit.windowSeconds} s per ${name}; retry in ${retryAfter} s`,
      });
    }
    describe(response, state);
    next();
  };
}
