// `npm test [-- path-prefix...]`: static checks, then every test against the real local stack.
// Brings the stack up when it is not, and stops afterwards only what it started.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstalled, ensurePromtool, repoRoot, stackUp } from './bootstrap.mjs';
import { coverageDir, reportCoverage, startCoverage } from './coverage.mjs';

const TEST_ROOTS = [
  'shared/src',
  'shared/tools',
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

const args = process.argv.slice(2);
const coverage = !args.includes('--no-coverage');
const filters = args
  .filter((arg) => arg !== '--no-coverage')
  .map((path) => relative(repoRoot, join(process.cwd(), path)));
const files = TEST_ROOTS.flatMap(findTests)
  .filter((file) => filters.length === 0 || filters.some((prefix) => file.startsWith(prefix)))
  .sort();
if (files.length === 0) {
  console.error(`No test file under ${filters.join(', ')}.`);
  process.exit(2);
}

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
const coverageEnv = coverage ? startCoverage() : {};
// With coverage, the summary line is held back to be printed after the coverage table: last.
const summaryFile = join(coverageDir, 'summary.txt');
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
      `--test-reporter-destination=${coverage ? summaryFile : 'stdout'}`,
      ...files,
    ],
    { ...process.env, ...stack.settings, ...coverageEnv },
  );
} finally {
  if (stack.started.length > 0) await stack.down({ only: stack.started });
}
if (coverage) {
  // A full run counts every source file, a filtered one only what its tests loaded.
  await reportCoverage({ all: filters.length === 0 }).catch((error) =>
    console.error(`\nCoverage report failed: ${error.stack ?? error}`),
  );
  try {
    process.stdout.write(readFileSync(summaryFile, 'utf8'));
  } catch {}
}
process.exit(status);
