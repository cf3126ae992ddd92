// `npm run chaos -- --scenario <name> [--orders N] [--rate R] [--seed S]` against the local stack
// (brought up if down): runs e2e/src/chaos/main.ts and exits with its status.
import { runWithStack } from './bootstrap.mjs';

await runWithStack('e2e/src/chaos/main.ts');
