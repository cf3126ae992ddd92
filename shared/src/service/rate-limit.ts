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

/** A request counted against a limit, or the error of a Redis that could not be asked. */
export type Count = { state: RateLimiterRes; refused: boolean } | { failedOpen: unknown };

/**
 * Counts each request against its key's window in Redis (shared by every instance). `count`
 * only asks Redis, so that several limits can be asked at once; `answer` then writes what the
 * count says: every answer carries the policy and what is left of it (`RateLimit-Policy`,
 * `RateLimit`: the IETF httpapi rate-limit headers draft), and a spent window is a `429` with
 * `Retry-After`. When Redis is down or slow the API keeps serving: an outage of the limiter must
 * not be one of the API.
 */
export interface RateLimiter {
  count(request: Request, response: Response): Promise<Count>;
  /** False when it answered `429`: the request goes no further. */
  answer(response: Response, count: Count): boolean;
}

export function rateLimiter(options: RateLimitOptions): RateLimiter {
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
  return {
    async count(request, response) {
      try {
        return { state: await limiter.consume(options.key(request, response)), refused: false };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { state: rejection, refused: true };
        return { failedOpen: rejection };
      }
    },
    answer(response, count) {
      if ('failedOpen' in count) {
        options.onFailOpen(count.failedOpen);
        return true;
      }
      const resetSeconds = describe(response, count.state);
      if (!count.refused) return true;
      options.onLimited();
      response.set('Retry-After', String(resetSeconds));
      sendProblem(response, {
        type: `${PROBLEM_BASE}too-many-requests`,
        title: 'Too many requests',
        status: 429,
        detail: `More than ${limit.requests} requests in ${limit.windowSeconds} s per ${name}; retry in ${resetSeconds} s`,
      });
      return false;
    },
  };
}

/** One limit as a guard of its own. */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const limiter = rateLimiter(options);
  return async (request, response, next) => {
    if (limiter.answer(response, await limiter.count(request, response))) next();
  };
}
