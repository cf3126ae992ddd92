// `npm run saga -- stuck [--for <seconds>]` | `npm run saga -- retry <orderId> [--dry-run]`.
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('../../shared/src/saga-ops/cli.ts');
