// `npm run stack -- up|down|status`
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('src/cli.ts');
