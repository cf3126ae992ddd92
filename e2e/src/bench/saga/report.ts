import { summarize } from '../stats.js';
import { completionRate, type SagaSample } from './load.js';

export interface SagaFigures {
  load: string;
  sagas: number;
  seconds: number;
  sagasPerSecond: number;
  /** Sagas ended per second from the first to end to the last (see completionRate). */
  completionsPerSecond: number;
  sagaMs: ReturnType<typeof summarize>;
  /** Median time of each hop of the completed sagas, in the order the hops happen. */
  completedHopsP50Ms: Record<string, number>;
  postMs: ReturnType<typeof summarize>;
  outcomes: Record<string, number>;
  unexpectedOutcomes: number;
  cpuMsPerSaga: Record<string, number>;
  cpuMsPerSagaTotal: number;
  postgresCommitsPerSaga: number;
  machineBusyPercent: number;
  cores: number;
}

export function figures(input: {
  load: string;
  samples: readonly SagaSample[];
  seconds: number;
  cpuMs: Map<string, number>;
  commits: number;
  machine: { machine: number; cores: number };
  unexpectedOutcomes: number;
}): SagaFigures {
  const { samples } = input;
  const n = samples.length;
  const outcomes: Record<string, number> = {};
  for (const sample of samples) outcomes[sample.outcome] = (outcomes[sample.outcome] ?? 0) + 1;
  const cpuMsPerSaga = Object.fromEntries([...input.cpuMs].map(([name, ms]) => [name, ms / n]));
  return {
    load: input.load,
    sagas: n,
    seconds: input.seconds,
    sagasPerSecond: n / input.seconds,
    completionsPerSecond: completionRate(samples),
    sagaMs: summarize(samples.map((sample) => sample.sagaMs)),
    postMs: summarize(samples.map((sample) => sample.postMs)),
    completedHopsP50Ms: hopMedians(samples.filter((sample) => sample.outcome === 'COMPLETED')),
    outcomes,
    unexpectedOutcomes: input.unexpectedOutcomes,
    cpuMsPerSaga,
    cpuMsPerSagaTotal: Object.values(cpuMsPerSaga).reduce((sum, ms) => sum + ms, 0),
    postgresCommitsPerSaga: input.commits / n,
    machineBusyPercent: input.machine.machine,
    cores: input.machine.cores,
  };
}

function hopMedians(samples: readonly SagaSample[]): Record<string, number> {
  const byHop = new Map<string, number[]>();
  for (const { hops } of samples) {
    for (const { hop, ms } of hops) {
      const times = byHop.get(hop) ?? [];
      times.push(ms);
      byHop.set(hop, times);
    }
  }
  return Object.fromEntries([...byHop].map(([hop, ms]) => [hop, summarize(ms).p50]));
}

export const msText = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
const spread = (s: SagaFigures['sagaMs']) =>
  `p50 ${msText(s.p50)} · p95 ${msText(s.p95)} · p99 ${msText(s.p99)} · max ${msText(s.max)}`;

export function printFigures(f: SagaFigures): void {
  const cpu = Object.entries(f.cpuMsPerSaga)
    .sort(([, a], [, b]) => b - a)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(' · ');
  const outcomes = Object.entries(f.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(' · ');
  const rows = [
    ['sagas/s', `${f.sagasPerSecond.toFixed(1)} (${f.sagas} sagas in ${f.seconds.toFixed(1)} s)`],
    ['saga latency', `${spread(f.sagaMs)} (202 → terminal)`],
    ['POST /orders', spread(f.postMs)],
    [
      'hops p50',
      Object.entries(f.completedHopsP50Ms)
        .map(([hop, ms]) => `${hop} ${ms.toFixed(0)} ms`)
        .join(' · '),
    ],
    [
      'outcomes',
      `${outcomes}${f.unexpectedOutcomes ? ` · ${f.unexpectedOutcomes} UNEXPECTED` : ''}`,
    ],
    ['CPU-ms per saga', `${f.cpuMsPerSagaTotal.toFixed(1)} in all: ${cpu}`],
    ['PG commits/saga', f.postgresCommitsPerSaga.toFixed(1)],
    ['machine busy', `${f.machineBusyPercent.toFixed(0)} % of ${f.cores * 100} %`],
  ];
  for (const [label, value] of rows) console.log(`  ${label!.padEnd(16)} ${value}`);
}
