import type { Admin, Kafka } from 'kafkajs';
import type { Cluster, InstanceExit } from '../cluster.js';
import type { Random } from '../random.js';

export const FAULT_KINDS = [
  'kill',
  'crash-points',
  'kafka-restart',
  'postgres-cut',
  'redis-down',
  'gateway-outage',
  'gateway-timeouts',
  'gateway-blackhole',
  'duplicates',
  'slow-consumer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultContext {
  cluster: Cluster;
  kafka: Kafka;
  admin: Admin;
  prefix: string;
  /** This fault's own stream: its schedule does not depend on which other faults run. */
  random: Random;
  /** How long orders are sent: faults happen inside this window so the load meets them. */
  loadMs: number;
  /** Resolves `ms` after the load started (at once if that is past, or the run was aborted). */
  at(ms: number): Promise<void>;
  /** Notes what was done, stamped with the time since the load started. */
  record(what: string): void;
  signal: AbortSignal;
}

export interface Fault {
  kind: FaultKind;
  /** Environment every service instance starts with. */
  serviceEnv?: Record<string, string>;
  /**
   * An instance exited on its own. When this fault caused it (then it is no finding): the
   * environment to restart it with; undefined otherwise.
   */
  explainExit?(
    exit: InstanceExit,
    record: (what: string) => void,
  ): Record<string, string> | undefined;
  /** Injects the fault during the load window; resolves once everything it broke is restored. */
  inject(context: FaultContext): Promise<void>;
}

/** `count` instants spread over the middle of the load window, in order, at least `gapMs` apart. */
export function schedule(context: FaultContext, count: number, gapMs = 0): number[] {
  const from = context.loadMs * 0.1;
  const span = context.loadMs * 0.6;
  const slot = Math.max(span / Math.max(count, 1), gapMs);
  return Array.from({ length: count }, (_, index) =>
    Math.round(from + index * slot + context.random.next() * Math.max(slot - gapMs, 0)),
  );
}
