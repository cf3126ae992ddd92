// `npm run dlq -- list|replay|purge --service <name> [options]`; `--help` for the options.
import { runTool } from './run-tool.mjs';

runTool('dlq');
