// `npm run dlq -- list|replay|purge --service <name> [options]`; `--help` for the options.
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('../../shared/src/dlq/cli.ts');
