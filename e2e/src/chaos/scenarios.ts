import { crashPoints } from './faults/crash-points.js';
import { duplicates } from './faults/duplicates.js';
import { FAULT_KINDS, type Fault, type FaultKind } from './faults/fault.js';
import { gatewayBlackhole } from './faults/gateway-blackhole.js';
import { gatewayOutage } from './faults/gateway-outage.js';
import { gatewayTimeouts } from './faults/gateway-timeouts.js';
import { kafkaRestart } from './faults/kafka-restart.js';
import { kill } from './faults/kill.js';
import { postgresCut } from './faults/postgres-cut.js';
import { redisDown } from './faults/redis-down.js';
import { slowConsumer } from './faults/slow-consumer.js';

/** A scenario is one fault kind, `all` of them at once, or `none` (a baseline run). */
export const SCENARIOS = [...FAULT_KINDS, 'all', 'none'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const isScenario = (name: string): name is Scenario =>
  (SCENARIOS as readonly string[]).includes(name);

/** The faults of a fault kind; built per run since some keep state (the crash budget). */
function faultOf(kind: FaultKind, orders: number): Fault {
  switch (kind) {
    case 'kill':
      return kill;
    case 'crash-points':
      // About one crash per 40 orders: enough to hit both points, few enough to settle.
      return crashPoints(0.004, Math.max(3, Math.round(orders / 40)));
    case 'kafka-restart':
      return kafkaRestart;
    case 'postgres-cut':
      return postgresCut;
    case 'redis-down':
      return redisDown;
    case 'gateway-outage':
      return gatewayOutage;
    case 'gateway-timeouts':
      return gatewayTimeouts;
    case 'gateway-blackhole':
      return gatewayBlackhole;
    case 'duplicates':
      return duplicates;
    case 'slow-consumer':
      return slowConsumer;
  }
}

export function faultsOf(scenario: Scenario, orders: number, only?: readonly FaultKind[]): Fault[] {
  const kinds = scenario === 'all' ? (only ?? FAULT_KINDS) : scenario === 'none' ? [] : [scenario];
  return kinds.map((kind) => faultOf(kind, orders));
}
