// `npm run bench -- relay|one-hop|wakeup [options]` against the local stack (brought up if down).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, runTypeScript } from './bootstrap.mjs';

const { up } = await runTypeScript('src/stack.ts');
const { settings } = await up();
const bench = spawnSync(
  process.execPath,
  [
    '--conditions=source',
    '--import=tsx',
    join(repoRoot, 'e2e/src/bench/main.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...settings } },
);
process.exit(bench.status ?? 1);
