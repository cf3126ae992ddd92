// `npm run token -- --customer <id> [--scope admin] [--ttl 1h]`; `--help` for the options.
import { runTool } from './run-tool.mjs';

runTool('token');
