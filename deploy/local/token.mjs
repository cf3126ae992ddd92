// `npm run token -- --customer <id> [--scope admin] [--ttl 1h]`; `--help` for the options.
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('../../shared/src/auth/cli.ts');
