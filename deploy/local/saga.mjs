// `npm run saga -- stuck [--for <seconds>]` | `npm run saga -- retry <orderId> [--dry-run]`.
import { runTool } from './run-tool.mjs';

runTool('saga');
