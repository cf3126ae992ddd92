import type { Fault } from './fault.js';
import { cutRepeatedly } from './outage.js';

/** Takes order-service's Redis (the idempotency cache) away for several seconds. */
export const redisDown: Fault = {
  kind: 'redis-down',
  inject: (context) =>
    cutRepeatedly(context, context.cluster.redisProxy, 'Redis', 1, [5_000, 10_000]),
};
