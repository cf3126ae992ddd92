import { quantile } from '../bench/stats.js';
import type { OrderView } from '../saga/api.js';
import type { InvariantReport } from '../saga/session.js';
import type { DemoOrder } from './scenario.js';
import {
  bold,
  columns,
  dim,
  duration,
  failed,
  megabytes,
  money,
  ok,
  red,
  visibleLength,
  wrap,
} from './terminal.js';

export interface SagaOutcome {
  demo: DemoOrder;
  order: OrderView;
}

const outcomeOf = (o: { status: string; failureReason: string | null }) =>
  o.failureReason ? `${o.status} ${o.failureReason}` : o.status;

export const asExpected = ({ demo, order }: SagaOutcome) =>
  outcomeOf(demo.expected) === outcomeOf(order);

const sinceAccepted = (order: OrderView, at: string) =>
  Date.parse(at) - Date.parse(order.createdAt);

/** One row per saga, its timeline (ms since the order was accepted) wrapped beneath it. */
export function sagaTable(outcomes: readonly SagaOutcome[], width: number): string[] {
  const header = ['ORDER', 'CUSTOMER', 'AMOUNT', 'SCENARIO', 'EXPECTED', 'ACTUAL', ''].map(dim);
  const rows = outcomes.map((outcome) => {
    const { demo, order } = outcome;
    const good = asExpected(outcome);
    return [
      order.orderId.slice(0, 8),
      order.customerId,
      money(order.amountMinor, order.currency),
      demo.story,
      outcomeOf(demo.expected),
      good ? outcomeOf(order) : red(outcomeOf(order)),
      good ? ok : failed,
    ];
  });
  const [head, ...lines] = columns([header, ...rows], [2]);
  const indent = ' '.repeat(2 + visibleLength(rows[0]?.[0] ?? '') + 2);
  const out = [head!];
  lines.forEach((line, index) => {
    const { order } = outcomes[index]!;
    const steps = order.timeline.map(
      (entry) => `${entry.type} ${dim(`+${sinceAccepted(order, entry.at)}`)}`,
    );
    out.push(line, ...wrap(steps, ' › ', width, indent));
  });
  return out;
}

/** Accepted → COMPLETED, over the completed orders. */
export function latencyLine(outcomes: readonly SagaOutcome[], note = ''): string {
  const samples = outcomes
    .map(({ order }) => order)
    .filter((order) => order.status === 'COMPLETED')
    .map((order) => {
      const completed = order.timeline.find((entry) => entry.type === 'order.completed');
      return sinceAccepted(order, completed?.at ?? order.updatedAt);
    })
    .sort((a, b) => a - b);
  if (samples.length === 0) return 'Saga latency: no order completed';
  return (
    `${bold('Saga latency')} ${dim(`(accepted → COMPLETED, ${samples.length} orders)`)} ` +
    `p50 ${duration(quantile(samples, 0.5))} · p99 ${duration(quantile(samples, 0.99))}` +
    (note ? ` ${dim(note)}` : '')
  );
}

export function invariantLines(report: InvariantReport): string[] {
  const lines = report.results.map((result) => {
    const mark = result.passed ? ok : failed;
    const examples = result.counterexamples.slice(0, 3).map((example) => `      ${red(example)}`);
    const more = result.counterexamples.length - 3;
    return [
      `  ${mark} ${result.id}  ${result.name}`,
      ...examples,
      ...(more > 0 ? [`      … and ${more} more`] : []),
    ].join('\n');
  });
  if (report.unsettled.length > 0) {
    lines.unshift(`  ${failed} not quiescent after 20 s: ${report.unsettled.join('; ')}`);
  }
  return lines;
}

export function memoryTable(
  names: readonly string[],
  idle: ReadonlyMap<string, number | undefined>,
  after: ReadonlyMap<string, number | undefined>,
): string[] {
  return columns(
    [
      ['', 'IDLE', 'AFTER DEMO'].map(dim),
      ...names.map((name) => [name, megabytes(idle.get(name)), megabytes(after.get(name))]),
    ],
    [1, 2],
  );
}
