import { CHAOS_SAGA_DEADLINE_SECONDS } from '../cluster.js';
import type { Fault } from './fault.js';
import { gatewayEpisode } from './gateway.js';

const deadlineMs = CHAOS_SAGA_DEADLINE_SECONDS * 1_000;

/**
 * The gateway takes every call and answers none, for longer than a saga's deadline: the sagas it
 * catches end CANCELED TIMED_OUT and must hold no charge and no stock (invariant 7).
 */
export const gatewayBlackhole: Fault = {
  kind: 'gateway-blackhole',
  inject: (context) =>
    gatewayEpisode(context, { blackhole: true }, { blackhole: false }, [
      deadlineMs + 4_000,
      deadlineMs + 8_000,
    ]),
};
