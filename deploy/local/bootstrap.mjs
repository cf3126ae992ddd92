// Dependency-free entry helpers: the root scripts run before `node_modules` may exist.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Runs `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const installed = mtime(join(repoRoot, 'node_modules', '.package-lock.json'));
  const locked = mtime(join(repoRoot, 'package-lock.json'));
  if (installed !== undefined && locked !== undefined && installed >= locked) return;
  console.log('Installing dependencies (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('npm ci failed: see the output above. Node 20.12+ and npm 10+ are required.');
    process.exit(result.status ?? 1);
  }
}

/** Installs if needed, then loads a TypeScript entry point of this folder through tsx. */
export async function runTypeScript(entry) {
  ensureInstalled();
  const { register } = await import('tsx/esm/api');
  register();
  return import(join(dirname(fileURLToPath(import.meta.url)), entry));
}
