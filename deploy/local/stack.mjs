// `npm run stack -- up|down|status|reset|restart <kafka|registry>`
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('src/cli.ts');
