// `npm start`: bring the local stack up and show it healthy.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled, repoRoot } from './bootstrap.mjs';

ensureInstalled();
for (const command of ['up', 'status']) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'deploy/local/stack.mjs'), command], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
