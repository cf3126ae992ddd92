import { summarize } from '../bench/stats.js';
import type { InvariantResult } from '../invariants/index.js';
import { isTerminal, type OrderApi, type OrderView } from '../saga/api.js';
import { describeTimeline, mapConcurrently } from '../saga/wait.js';
import type { ServiceName } from '../services.js';
import { outcomeName, unexpectedOutcomes } from './expected.js';
import type { FaultKind } from './faults/fault.js';
import { checkGatewayLedger } from './ledger.js';
import type { Placement } from './load.js';

export interface ChaosReport {
  scenario: string;
  seed: number;
  rate: number;
  /** SAGA_DEADLINE the platform ran with: a saga a fault holds past it ends TIMED_OUT. */
  sagaDeadlineSeconds: number;
  faultKinds: FaultKind[];
  /** One per planned order, in plan order. */
  placed: Placement[];
  /** What the faults did, `atMs` since the load started. */
  faults: { atMs: number; kind: FaultKind; what: string }[];
  /** Faults that could not be injected: the run did not test what it claims. */
  faultErrors: string[];
  /** Instances that died without a fault explaining it. */
  exits: { atMs: number; name: string; status: string; logFile: string }[];
  failedRestarts: string[];
  quiescence: { reached: boolean; afterMs: number; unsettled: string[] };
  invariants: InvariantResult[];
  outcomes: Outcomes;
  deadLetters: Record<ServiceName, number>;
  durationMs: number;
}

export interface Outcomes {
  /** Per terminal status and failure reason, e.g. `CANCELED OUT_OF_STOCK`. */
  counts?: Record<string, number>;
  /** Orders that ended other than what they were sent with allows, with what it allows. */
  unexpected?: string[];
  /** Accepted → terminal, over the terminal orders. */
  latency?: { p50: number; p99: number; count: number };
  /** Orders not terminal once the run settled, with their timelines. */
  stuck?: string[];
  /** Where the gateway's ledger disagrees with the orders' outcomes. */
  ledger?: string[];
}

const terminalAt = (order: OrderView) => {
  const last = order.timeline.findLast((entry) =>
    ['order.completed', 'order.canceled'].includes(entry.type),
  );
  return Date.parse(last?.at ?? order.updatedAt);
};

/**
 * Reads every accepted order (and any order invariant 1 names) through the API: outcome counts,
 * latency, the timelines of the stuck ones, and the orders that ended other than `allowed` (the
 * outcomes each placement may end with, in the same order) permits.
 */
export async function outcomeOf(
  orders: Pick<OrderApi, 'get'>,
  gatewayUrl: string,
  placed: readonly Placement[],
  allowed: readonly (readonly string[])[],
  invariants: readonly InvariantResult[],
): Promise<Outcomes> {
  const open = invariants.find((result) => result.id === 1)?.counterexamples ?? [];
  const ids = new Set([
    ...placed.flatMap((placement) => (placement.orderId ? [placement.orderId] : [])),
    ...open.map((example) => example.split(':')[0]!),
  ]);
  const views = await mapConcurrently([...ids], 8, (orderId) => orders.get(orderId));
  const counts: Record<string, number> = {};
  for (const view of views) {
    const outcome = outcomeName(view);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  const done = views.filter((view) => isTerminal(view.status));
  const { p50, p99, count } = summarize(
    done.map((view) => terminalAt(view) - Date.parse(view.createdAt)),
  );
  const stuck = views
    .filter((view) => !isTerminal(view.status))
    .map((view) => `${view.orderId} ${view.status}: ${describeTimeline(view)}`);
  const ledger = await checkGatewayLedger(gatewayUrl, views);
  const unexpected = unexpectedOutcomes(placed, allowed, views);
  return { counts, unexpected, latency: { p50, p99, count }, stuck, ledger };
}

/** Everything that makes the run fail, one line each; empty when the platform held. */
export function violations(report: ChaosReport): string[] {
  const lines: string[] = [];
  const refused = report.placed.filter((placement) => !placement.orderId);
  if (refused.length > 0) {
    lines.push(
      `${refused.length} order(s) never accepted, e.g. after ${refused[0]!.attempts} attempts: ` +
        `${refused[0]!.lastError}`,
    );
  }
  for (const placement of report.placed.filter((p) => p.repeatedAs !== undefined)) {
    lines.push(
      `Idempotency-Key repeated: first order ${placement.orderId}, then ${placement.repeatedAs}`,
    );
  }
  for (const error of report.faultErrors) lines.push(`fault not injected: ${error}`);
  for (const exit of report.exits) {
    lines.push(
      `${exit.name} died on its own (${exit.status}) at +${exit.atMs} ms, see ${exit.logFile}`,
    );
  }
  for (const failure of report.failedRestarts) lines.push(`restart failed: ${failure}`);
  if (!report.quiescence.reached) {
    lines.push(
      `not quiescent ${report.quiescence.afterMs} ms after the load: ${report.quiescence.unsettled.join('; ')}`,
    );
  }
  for (const saga of report.outcomes.stuck ?? []) lines.push(`stuck saga ${saga}`);
  for (const order of report.outcomes.unexpected ?? []) lines.push(`unexpected outcome ${order}`);
  for (const problem of report.outcomes.ledger ?? []) lines.push(`gateway ledger: ${problem}`);
  for (const result of report.invariants.filter((r) => !r.passed)) {
    lines.push(`invariant ${result.id} (${result.name}): ${result.counterexamples.join('; ')}`);
  }
  return lines;
}
