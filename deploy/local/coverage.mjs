// Line and branch coverage of `npm test`, with c8: V8's own coverage, mapped back to TypeScript
// lines through the source maps that tsx (tests, in process) and tsc (services run from dist/ by
// the e2e tests) leave. Node's --experimental-test-coverage on Node 20 ignores those maps.
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from './bootstrap.mjs';

export const coverageDir = join(repoRoot, 'coverage');
// Raw V8 output of every process the tests start: large, so deleted once reported.
const rawDir = join(coverageDir, '.v8');

/** The code under test, one table line each: e2e is the test harness itself, schemas holds data. */
const WORKSPACES = {
  shared: ['shared'],
  'order-service': ['order-service'],
  'payment-service': ['payment-service'],
  'inventory-service': ['inventory-service'],
  'delivery-service': ['delivery-service'],
  deploy: ['deploy/local'],
};

/** Where a bug costs money or opens the door: each also on a line of its own. */
const HIGH_RISK = {
  'payment settler': ['payment-service/src/use-cases/'],
  'payment handlers+API': ['payment-service/src/handlers/', 'payment-service/src/api/'],
  'payment domain+db': ['payment-service/src/domain/', 'payment-service/src/db/'],
  'payment gateway client': ['payment-service/src/gateway/'],
  'order API': ['order-service/src/api/'],
  'order idempotency': [
    'order-service/src/idempotency/',
    'order-service/src/use-cases/place-order.ts',
  ],
  authentication: ['shared/src/auth/', 'shared/src/service/authentication.ts'],
};

const roots = Object.values(WORKSPACES).flat();

/** The environment that makes the test processes, and every process they start, record. */
export function startCoverage() {
  rmSync(coverageDir, { recursive: true, force: true });
  mkdirSync(rawDir, { recursive: true });
  return { NODE_V8_COVERAGE: rawDir };
}

const percent = ({ covered, total }) =>
  total === 0 ? '-' : `${((100 * covered) / total).toFixed(1)}%`;

/**
 * Writes coverage/ (index.html, lcov.info, coverage.txt per file) and prints one line per
 * workspace and per high-risk area. `all`: files no test loaded count, at 0%; a filtered run
 * leaves it off, so its numbers are of the files its tests loaded.
 */
export async function reportCoverage({ all }) {
  const { Report } = (await import('c8')).default;
  // c8 matches its include patterns against paths relative to the working directory.
  process.chdir(repoRoot);
  const report = Report({
    include: roots.flatMap((root) => [`${root}/src/**`, `${root}/dist/**`]),
    exclude: ['**/*.test.ts', '**/testing/**', '**/*.d.ts', '**/node_modules/**'],
    reporter: ['html', 'lcovonly', 'text'],
    reporterOptions: { text: { file: 'coverage.txt' } },
    reportsDirectory: coverageDir,
    tempDirectory: rawDir,
    all,
    src: roots.map((root) => join(repoRoot, root, 'src')),
    excludeNodeModules: true,
  });
  // A file that ran only compiled, from dist/, is mapped to its source: not one nobody loaded.
  const addUnloaded = report._includeUncoveredFiles.bind(report);
  report._includeUncoveredFiles = (loaded) => {
    const seen = new Set(loaded);
    for (const path of loaded) {
      const compiled = path.match(/^(.*)[\\/]dist[\\/](.*)\.js$/);
      if (compiled) seen.add(join(compiled[1], 'src', `${compiled[2]}.ts`));
    }
    return addUnloaded(seen);
  };
  await report.run();
  const map = await report.getCoverageMapFromAllCoverageFiles();
  rmSync(rawDir, { recursive: true, force: true });

  const files = map.files().map((file) => ({
    path: relative(repoRoot, file).split(sep).join('/'),
    summary: map.fileCoverageFor(file).toSummary(),
  }));
  const total = (prefixes) => {
    const sum = { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    for (const { path, summary } of files) {
      if (!prefixes.some((prefix) => path.startsWith(prefix))) continue;
      for (const kind of ['lines', 'branches']) {
        sum[kind].covered += summary[kind].covered;
        sum[kind].total += summary[kind].total;
      }
    }
    return sum;
  };
  const row = (name, sum) =>
    `  ${name.padEnd(24)}${percent(sum.lines).padStart(8)}${percent(sum.branches).padStart(10)}`;
  const rows = (groups, asPrefix) =>
    Object.entries(groups)
      .map(([name, paths]) => [name, total(asPrefix(paths))])
      .filter(([, sum]) => sum.lines.total > 0)
      .map(([name, sum]) => row(name, sum));

  const scope = all ? 'all source files' : 'files loaded by the tests that ran';
  console.log(`\nCoverage of ${scope} (full report: coverage/index.html)`);
  console.log(`  ${'workspace'.padEnd(24)}${'lines'.padStart(8)}${'branches'.padStart(10)}`);
  for (const line of rows(WORKSPACES, (paths) => paths.map((path) => `${path}/src/`))) {
    console.log(line);
  }
  const risky = rows(HIGH_RISK, (paths) => paths);
  if (risky.length > 0) console.log(['  high risk', ...risky].join('\n'));
}
