import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  process: ChildProcess;
  /** Everything written to stdout so far. */
  output(): string;
  /** Resolves when stdout contains `text`; rejects after `timeoutMs` or if the child exits. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit signal or code. */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs a TypeScript module of this repository as a separate Node process. */
export function startChild(module: URL | string, env: Record<string, string> = {}): Child {
  const path = module instanceof URL ? fileURLToPath(module) : module;
  const child = spawn(process.execPath, ['--conditions=source', '--import=tsx', path], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return {
    process: child,
    output: () => stdout,
    exited,
    waitFor(text, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (stdout.includes(text)) return resolve();
          if (child.exitCode !== null || child.signalCode !== null) {
            return reject(new Error(`child exited before printing "${text}"`));
          }
          if (Date.now() - started > timeoutMs) {
            return reject(new Error(`child did not print "${text}" within ${timeoutMs} ms`));
          }
          setTimeout(check, 25);
        };
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A child that ignores a graceful stop must not hang the test run.
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}
