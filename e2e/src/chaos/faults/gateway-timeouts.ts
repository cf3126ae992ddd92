import type { Fault } from './fault.js';
import { gatewayEpisode } from './gateway.js';

/** A share of approved charges succeed but time out for a while: recovery must settle them once. */
export const gatewayTimeouts: Fault = {
  kind: 'gateway-timeouts',
  inject: (context) =>
    gatewayEpisode(
      context,
      { timeoutChargedRate: 0.3 },
      { timeoutChargedRate: 0 },
      [8_000, 15_000],
    ),
};
