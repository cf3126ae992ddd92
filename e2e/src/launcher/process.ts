import { type ChildProcess, spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { ensureBuilt } from './build.js';
import { recordOutput } from './process-log.js';
import { defaultLogDir, repoRoot, stackEnv, tsxLoader } from './repository.js';
import { waitUntilReady } from './wait-ready.js';

export interface ProcessOptions {
  /** Names the log file and prefixes its lines, e.g. `delivery-1`. */
  name: string;
  /**
   * Absolute or relative to the repository root: a compiled entry (`entryOf(kind)`), run by
   * node once the build is current, or a TypeScript one, run from sources through tsx.
   */
  entry: string;
  /** On top of the environment and the stack env file: PORT, DATABASE_URL, LOG_LEVEL, ... */
  env?: Record<string, string>;
  /** The port the process listens on; the launcher probes it on 127.0.0.1. */
  port: number;
  /** Answers 200 once the process can work. Default `/readyz`. */
  readyPath?: string;
  /** Default 60 s: a service first migrates its database and provisions its topics. */
  readyTimeoutMs?: number;
  /** How long `stop()` waits before SIGKILL. Default 25 s, past a service's own 20 s grace. */
  stopGraceMs?: number;
  /** Default `.stack/logs/e2e`. */
  logDir?: string;
  /** Node's own options before the entry, e.g. `--cpu-prof` to profile under a benchmark. */
  nodeArgs?: readonly string[];
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessHandle {
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has exited and its log is complete. */
  exited: Promise<ExitStatus>;
  /** Sends `signal` and waits for the exit; SIGKILL when it has not exited within the grace. */
  stop(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** SIGKILL, like a crash; resolves on the exit. */
  kill(): Promise<ExitStatus>;
}

export class LaunchError extends Error {
  override name = 'LaunchError';
}

/** Children still running; killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node <entry>` from the repository root, once its package's build is current
 * (`ensureBuilt`); a TypeScript entry as `node --conditions=source --import tsx <entry>`, without
 * a build. Its output goes to a log file, and it resolves once the process answers 200 on its
 * ready path. A process that exits or stays unready is killed, and the error ends with its log's
 * tail.
 */
export async function startProcess(options: ProcessOptions): Promise<ProcessHandle> {
  const { name, port } = options;
  const entry = isAbsolute(options.entry) ? options.entry : join(repoRoot, options.entry);
  const fromSources = /\.[cm]?ts$/.test(entry);
  if (!fromSources) {
    await ensureBuilt([entry]).catch((error: Error) => {
      throw new LaunchError(`${name}: ${error.message}`);
    });
  }
  const logFile = join(options.logDir ?? defaultLogDir, `${name}.log`);
  const loader = fromSources ? ['--conditions=source', `--import=${tsxLoader}`] : [];
  const args = [...(options.nodeArgs ?? []), ...loader, entry];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...stackEnv(), ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new LaunchError(`${name}: could not spawn ${entry}`);
  running.add(child);
  const log = recordOutput(name, child, logFile);
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      log.flushed.then(() => resolve({ code, signal }));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;

  const kill = () => {
    if (alive()) child.kill('SIGKILL');
    return exited;
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (alive()) child.kill(signal);
    const force = setTimeout(() => kill(), options.stopGraceMs ?? 25_000);
    try {
      return await exited;
    } finally {
      clearTimeout(force);
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const readyUrl = `${url}${options.readyPath ?? '/readyz'}`;
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const readiness = await waitUntilReady({ url: readyUrl, timeoutMs, exited });
  if (readiness.outcome !== 'ready') {
    const status = await kill();
    const what =
      readiness.outcome === 'exited'
        ? `exited (${status.signal ?? `code ${status.code}`}) before it was ready`
        : `did not answer 200 on ${readyUrl} within ${timeoutMs} ms (last: ${readiness.lastAnswer})`;
    throw new LaunchError(`${name} ${what}. Its log (${logFile}) ends with:\n${log.tail()}`);
  }
  return { name, port, url, pid: child.pid, logFile, exited, stop, kill };
}
