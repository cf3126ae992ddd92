// Child processes: one-shot commands, detached servers that outlive the CLI, and their logs.
import { type SpawnOptions, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logsDir } from './config.ts';
import { StackError } from './errors.ts';
import type { StartedProcess } from './state.ts';

export type RunOptions = Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid'>;

/**
 * Runs a command to completion and resolves with its exit code and output, which `onOutput`
 * also sees as it arrives (stdout and stderr alike). Only a command that cannot start rejects:
 * a StackError carrying `hint` (what the user should do).
 */
export function execute(
  command: string,
  args: string[],
  hint: string,
  { onOutput, ...options }: RunOptions & { onOutput?: (text: string) => void } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      // Decoded per stream, so a character split across two chunks stays whole.
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        output += text;
        onOutput?.(text);
      });
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      const problem =
        error.code === 'ENOENT' ? `\`${command}\` was not found on PATH` : error.message;
      reject(new StackError(`${problem}. ${hint}`));
    });
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * Runs a command to completion and returns its output. A missing binary or a non-zero exit
 * becomes a StackError carrying `hint` and the output's tail.
 */
export async function run(
  command: string,
  args: string[],
  hint: string,
  options: RunOptions = {},
): Promise<string> {
  const { code, output } = await execute(command, args, hint, options);
  if (code === 0) return output;
  throw new StackError(
    `\`${command} ${args.join(' ')}\` failed (exit ${code}). ${hint}\n${lastLines(output, 20)}`,
  );
}

/** .stack/logs/<name>.log (the directory is created on demand). */
export function logFile(name: string): string {
  mkdirSync(logsDir, { recursive: true });
  return join(logsDir, `${name}.log`);
}

/** Keeps one previous generation, so logs stay bounded across many restarts. */
function rotateLargeLog(path: string) {
  if (existsSync(path) && statSync(path).size > 10 * 1024 * 1024) renameSync(path, `${path}.1`);
}

/** Starts a server in its own process group, output appended to .stack/logs/<name>.log. */
export function startDetached(
  name: string,
  command: string,
  args: string[],
  options: RunOptions = {},
): number {
  rotateLargeLog(logFile(name));
  const log = openSync(logFile(name), 'a');
  try {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', log, log] });
    child.once('error', () => {}); // reported below: a failed spawn has no pid
    child.unref();
    if (child.pid === undefined) {
      throw new StackError(
        `Could not start ${name}: \`${command}\` was not found on PATH. Install it, or point ` +
          'the stack at an already running server (see the URL variables in deploy/local/README.md).',
      );
    }
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Alive, and still the process we started (its command line carries our marker). */
export function isRunning(process_: Pick<StartedProcess, 'pid' | 'marker'>): boolean {
  try {
    process.kill(process_.pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${process_.pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the pid
  return readFileSync(cmdline, 'utf8').replaceAll('\0', ' ').includes(process_.marker);
}

/** A clean shutdown signal (SIGTERM), then SIGKILL if it has not exited within the grace period. */
export async function stopProcess(
  started: StartedProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 20_000,
) {
  if (!isRunning(started)) return;
  process.kill(started.pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(started)) return;
    await sleep(100);
  }
  process.kill(started.pid, 'SIGKILL');
  while (isRunning(started)) await sleep(50);
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

export function tailLog(name: string, count = 30): string {
  try {
    return lastLines(readFileSync(logFile(name), 'utf8'), count);
  } catch {
    return '(no log written)';
  }
}

/**
 * Polls `ready` until it resolves true. Fails fast, with the log's tail, if the process exits,
 * and after `timeoutMs` otherwise.
 */
export async function waitUntilReady(
  name: string,
  started: Pick<StartedProcess, 'pid' | 'marker'>,
  ready: () => Promise<boolean>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return;
    if (!isRunning(started)) {
      throw new StackError(
        `${name} exited during startup. Its log (${logFile(name)}) ends with:\n${tailLog(name)}`,
      );
    }
    await sleep(250);
  }
  throw new StackError(
    `${name} did not become ready within ${timeoutMs / 1000} s (raise STACK_READY_TIMEOUT_MS on a ` +
      `slow machine). Its log (${logFile(name)}) ends with:\n${tailLog(name)}`,
  );
}
