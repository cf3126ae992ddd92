// `npm test [-- path-prefix...]`: static checks, then every test against the real local stack.
// Brings the stack up when it is not, and stops afterwards only what it started.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstalled, ensurePromtool, repoRoot, stackUp } from './bootstrap.mjs';

const TEST_ROOTS = [
  'shared/src',
  'order-service/src',
  'payment-service/src',
  'inventory-service/src',
  'delivery-service/src',
  'deploy/local/test',
  'deploy/prometheus',
  'e2e/src',
];

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(join(repoRoot, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function run(command, args, env = process.env) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env }).status ?? 1;
}

const filters = process.argv.slice(2).map((path) => relative(repoRoot, join(process.cwd(), path)));
const files = TEST_ROOTS.flatMap(findTests)
  .filter((file) => filters.length === 0 || filters.some((prefix) => file.startsWith(prefix)))
  .sort();

ensureInstalled();
if (files.some((file) => file.startsWith('deploy/prometheus'))) ensurePromtool();

// A filtered run is a developer's inner loop: skip the whole-repository checks.
if (filters.length === 0) {
  const checks =
    run('npx', ['biome', 'check', '.']) || run('npx', ['turbo', 'run', 'typecheck', 'build']);
  if (checks !== 0) process.exit(checks);
  // Built just now: the launcher in the test processes skips its own build of the services.
  process.env.SAGA_SERVICES_BUILT = '1';
}

const stack = await stackUp();
let status = 1;
try {
  status = run(
    process.execPath,
    [
      '--conditions=source',
      '--import=tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(repoRoot, 'deploy/local/summary-reporter.mjs')}`,
      '--test-reporter-destination=stdout',
      ...files,
    ],
    { ...process.env, ...stack.settings },
  );
} finally {
  if (stack.started.length > 0) await stack.down({ only: stack.started });
}
process.exit(status);
