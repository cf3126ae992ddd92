// `npm run chaos -- --scenario <name> [--orders N] [--rate R] [--seed S]`, run by
// deploy/local/chaos.mjs once the stack is up.
import { parseArgs } from 'node:util';
import { formatReport } from './print.js';
import { violations } from './report.js';
import { runChaos } from './run.js';
import { isScenario, SCENARIOS } from './scenarios.js';

const usage = `usage: npm run chaos -- --scenario <${SCENARIOS.join('|')}> [--orders N] [--rate R] [--seed S]`;

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`--${name} must be a positive number`);
  return parsed;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      orders: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (!values.scenario || !isScenario(values.scenario)) {
    console.error(usage);
    return 2;
  }
  const report = await runChaos({
    scenario: values.scenario,
    orders: Math.round(number(values.orders, 'orders', 200)),
    rate: number(values.rate, 'rate', 4),
    seed: Math.round(number(values.seed, 'seed', 1)),
    onProgress: (line) => console.log(`  … ${line}`),
  });
  console.log(`\n${formatReport(report)}`);
  return violations(report).length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The chaos run failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
