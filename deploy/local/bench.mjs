// `npm run bench -- saga|hot-deal|relay|one-hop|wakeup|baseline [options]` against the local stack (brought up if down).
import { runWithStack } from './bootstrap.mjs';

await runWithStack('e2e/src/bench/main.ts');
