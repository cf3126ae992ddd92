import { bold, columns, dim, duration, failed, ok, red } from '../demo/terminal.js';
import { TIMED_OUT } from './expected.js';
import { type ChaosReport, violations } from './report.js';

const SHOWN = 5;

/** Lines of `items`, the first few only, then how many more. */
function some(items: readonly string[], indent: string): string[] {
  const more = items.length - SHOWN;
  return [
    ...items.slice(0, SHOWN).map((item) => `${indent}${red(item)}`),
    ...(more > 0 ? [`${indent}… and ${more} more`] : []),
  ];
}

/** The report as the CLI prints it. */
export function formatReport(report: ChaosReport): string {
  const accepted = report.placed.filter((placement) => placement.orderId).length;
  const retried = report.placed.filter((placement) => placement.attempts > 1).length;
  const { latency, counts, unexpected = [] } = report.outcomes;
  const lines = [
    `${bold('Chaos run')} scenario ${bold(report.scenario)} · seed ${report.seed} · ` +
      `${report.placed.length} orders at ${report.rate}/s · ${duration(report.durationMs)}`,
    `  faults: ${report.faultKinds.join(', ') || 'none'}`,
    `  orders: ${accepted} accepted (${retried} needed retries), outcomes ` +
      Object.entries(counts ?? {})
        .map(([outcome, n]) => `${outcome} ${n}`)
        .join(', '),
    `  deadline: ${counts?.[TIMED_OUT] ?? 0} order(s) canceled TIMED_OUT, ` +
      `${report.sagaDeadlineSeconds} s after acceptance`,
    '',
    `${bold('Faults injected')} ${dim('(ms since the load started)')}`,
    ...columns(
      report.faults.map((f) => [`+${f.atMs}`, f.kind, f.what]),
      [0],
    ),
    ...report.exits.map(
      (exit) => `  ${red(`+${exit.atMs} ${exit.name} died on its own (${exit.status})`)}`,
    ),
    '',
    `${bold('Invariants')} ${dim('(once quiescent)')}`,
    ...report.invariants.flatMap((result) => [
      `  ${result.passed ? ok : failed} ${result.id}  ${result.name}`,
      ...some(result.counterexamples, '      '),
    ]),
    `  ${(report.outcomes.ledger ?? []).length === 0 ? ok : failed} G  the gateway kept each completed order's amount once, nothing of canceled ones`,
    ...some(report.outcomes.ledger ?? [], '      '),
    `  ${unexpected.length === 0 ? ok : failed} O  each order ended as its card, address and stock decide, or TIMED_OUT`,
    ...some(unexpected, '      '),
    '',
    `  saga latency (accepted → terminal, ${latency?.count ?? 0} orders): ` +
      `p50 ${duration(latency?.p50 ?? Number.NaN)} · p99 ${duration(latency?.p99 ?? Number.NaN)}`,
    `  quiescence: ${report.quiescence.reached ? 'reached' : red('NOT reached')} ` +
      `${duration(report.quiescence.afterMs)} after the load`,
    `  dead letters: ${Object.entries(report.deadLetters)
      .map(([service, n]) => `${service} ${n}`)
      .join(', ')}`,
  ];
  const found = violations(report);
  lines.push(
    '',
    found.length === 0
      ? `${ok} no violation`
      : `${failed} ${bold(`${found.length} violation(s)`)}\n${some(found, '  ').join('\n')}`,
  );
  return lines.join('\n');
}
