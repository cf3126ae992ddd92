import type { Fault } from './fault.js';
import { cutRepeatedly } from './outage.js';

/** Resets every service's PostgreSQL connections and refuses new ones for a few seconds, twice. */
export const postgresCut: Fault = {
  kind: 'postgres-cut',
  inject: (context) =>
    cutRepeatedly(context, context.cluster.postgresProxy, 'PostgreSQL', 2, [2_000, 5_000]),
};
