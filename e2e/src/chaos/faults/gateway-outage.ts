import type { Fault } from './fault.js';
import { gatewayEpisode } from './gateway.js';

/** Every gateway call answers 503 for a while: the circuit opens, payments settle afterwards. */
export const gatewayOutage: Fault = {
  kind: 'gateway-outage',
  inject: (context) =>
    gatewayEpisode(context, { outage: true }, { outage: false }, [5_000, 10_000]),
};
