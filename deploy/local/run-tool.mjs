// Runs a command-line tool of shared/tools from its TypeScript source, as the tests run code:
// the `source` condition resolves its `@saga/shared/...` imports to shared/src, so a fresh clone
// needs no build first. A child process, because conditions are fixed when Node starts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled, repoRoot } from './bootstrap.mjs';

/** Installs if needed, runs shared/tools/<name>/cli.ts with this script's arguments and status. */
export function runTool(name) {
  ensureInstalled();
  const cli = join(repoRoot, 'shared', 'tools', name, 'cli.ts');
  const tool = spawnSync(
    process.execPath,
    ['--conditions=source', '--import=tsx', cli, ...process.argv.slice(2)],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  process.exit(tool.status ?? 1);
}
