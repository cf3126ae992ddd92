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

function npm(args, stdio) {
  return spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: repoRoot, stdio }).status;
}

/**
 * Runs `npm ci` when node_modules is missing or older than the lockfile. A registry mirror that
 * lacks the other platforms' optional binaries (biome, turbo) makes `npm ci` refuse the lockfile;
 * `npm install` then installs the same pinned versions.
 */
export function ensureInstalled() {
  const installed = mtime(join(repoRoot, 'node_modules', '.package-lock.json'));
  const locked = mtime(join(repoRoot, 'package-lock.json'));
  if (installed !== undefined && locked !== undefined && installed >= locked) return;
  console.log('Installing dependencies (npm ci)...');
  if (npm(['ci', '--loglevel=error'], ['ignore', 'inherit', 'pipe']) === 0) return;
  console.log('npm ci refused the lockfile; installing the locked versions with npm install...');
  if (npm(['install'], 'inherit') === 0) return;
  console.error(
    'Installing dependencies failed: see the output above. Node 20.12+ and npm 10+ are required.',
  );
  process.exit(1);
}

/**
 * The alert rules' tests need promtool, from the Debian package `prometheus` (its server is not
 * started by the install). Installed when missing, which needs root and apt; otherwise says how.
 */
export function ensurePromtool() {
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0) return;
  console.log('Installing promtool (Debian package prometheus)...');
  const apt = (args) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  const installed =
    process.getuid?.() === 0 &&
    apt(['update', '-qq']) === 0 &&
    apt(['install', '-y', '-qq', '--no-install-recommends', 'prometheus']) === 0;
  if (installed) return;
  console.error(
    'promtool is missing and could not be installed: run `sudo apt-get install prometheus`.',
  );
  process.exit(1);
}

/** Installs if needed, then loads a TypeScript entry point of this folder through tsx. */
export async function runTypeScript(entry) {
  ensureInstalled();
  const { register } = await import('tsx/esm/api');
  register();
  return import(join(dirname(fileURLToPath(import.meta.url)), entry));
}

/**
 * Installs if needed and brings the local stack up (see src/stack.ts). A problem the user can fix
 * (a port taken, no JDK) is printed as its message alone, and the process exits.
 */
export async function stackUp() {
  const { up, down, StackError } = await runTypeScript('src/stack.ts');
  try {
    return { ...(await up()), down };
  } catch (error) {
    if (!(error instanceof StackError)) throw error;
    console.error(`\n${error.message}`);
    process.exit(1);
  }
}

/**
 * Brings the services' `dist/` up to date (they run as deployed, compiled): turbo rebuilds what
 * changed and replays the rest from its cache, about a second. Shows one progress line, `done`
 * prints it once built, and marks the environment so the launcher in a child process skips its
 * own build of what it starts (e2e/src/launcher/build.ts). A failed build prints its output and
 * exits.
 */
export function buildServices(done = (what, took) => console.log(`  ✓ ${what} (${took})`)) {
  const what = 'Services compiled to dist/';
  const live = Boolean(process.stdout.isTTY);
  if (live) process.stdout.write(`  … ${what}`);
  const begin = Date.now();
  const build = spawnSync(
    'npx',
    ['turbo', 'run', 'build', '--filter=@saga/*-service', '--output-logs=errors-only'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (live) process.stdout.write('\r\x1b[K');
  if (build.status !== 0) {
    process.stdout.write(build.stdout ?? '');
    process.stderr.write(build.stderr ?? '');
    console.error(
      `\nBuilding the services failed${build.error ? ` (${build.error.message})` : ''}: see the output above.`,
    );
    process.exit(1);
  }
  process.env.SAGA_SERVICES_BUILT = '1';
  done(what, `${((Date.now() - begin) / 1000).toFixed(1)} s`);
}

/**
 * Installs if needed, builds the services, brings the local stack up, then runs a TypeScript
 * entry of the repository with the stack's settings in its environment, and exits with its status.
 */
export async function runWithStack(entry) {
  ensureInstalled();
  buildServices();
  const { settings } = await stackUp();
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import=tsx', join(repoRoot, entry), ...process.argv.slice(2)],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...settings } },
  );
  process.exit(child.status ?? 1);
}
