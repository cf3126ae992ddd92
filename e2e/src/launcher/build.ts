import { execFile } from 'node:child_process';
import { relative, resolve } from 'node:path';
import type { ServiceName } from '../services.js';
import { repoRoot } from './repository.js';

/**
 * The compiled entry of a service (in its folder `<name>-service`) or of the gateway simulator,
 * relative to the root: each process the launcher starts runs as it is deployed.
 */
export function entryOf(kind: ServiceName | 'gateway'): string {
  return kind === 'gateway'
    ? 'payment-service/dist/gateway-simulator/main.js'
    : `${kind}-service/dist/main.js`;
}

/**
 * Set to `1` by a caller that has just built every service (`deploy/local/bootstrap.mjs`, a full
 * `npm test`): the launcher in its child processes skips the build.
 */
export const BUILT_ENV = 'SAGA_SERVICES_BUILT';

/** The build of each workspace folder, this process's first request for it. */
const builds = new Map<string, Promise<void>>();

/**
 * Brings the `dist/` of the workspace packages holding `entries` (compiled entry points, absolute
 * or from the root) up to date, with what they depend on, once per process: one turbo run for the
 * folders not built yet, which recompiles what changed and replays the rest from its cache (about
 * a second). Rejects with the build's output.
 */
export function ensureBuilt(entries: readonly string[]): Promise<void> {
  if (process.env[BUILT_ENV] === '1') return Promise.resolve();
  const folders = [
    ...new Set(
      entries.map((entry) => relative(repoRoot, resolve(repoRoot, entry)).split(/[\\/]/)[0]!),
    ),
  ];
  const missing = folders.filter((folder) => !builds.has(folder));
  if (missing.length > 0) {
    const args = [
      'turbo',
      'run',
      'build',
      ...missing.map((folder) => `--filter=./${folder}`),
      '--output-logs=errors-only',
    ];
    const build = new Promise<void>((done, reject) => {
      execFile('npx', args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
        if (!error) return done();
        const output = `${out}${err}`.trim();
        reject(
          new Error(`building ${missing.join(', ')} (npx ${args.join(' ')}) failed:\n${output}`),
        );
      });
    });
    for (const folder of missing) builds.set(folder, build);
  }
  return Promise.all(folders.map((folder) => builds.get(folder))).then(() => {});
}
