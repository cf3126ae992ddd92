import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

export interface ProcessLog {
  path: string;
  /** The last lines the process wrote, for error messages. */
  tail(lines?: number): string;
  /** Resolves once the process closed its output and every line is on disk. */
  flushed: Promise<void>;
}

const KEPT_LINES = 200;
const ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * Appends the child's stdout and stderr to `path`, each line prefixed with `[name]` so logs of
 * several processes stay readable when read together. One previous generation is kept.
 */
export function recordOutput(name: string, child: ChildProcess, path: string): ProcessLog {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).size > ROTATE_BYTES) renameSync(path, `${path}.1`);
  const file = createWriteStream(path, { flags: 'a' });
  const recent: string[] = [];
  const write = (line: string) => {
    file.write(`[${name}] ${line}\n`);
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
  };
  write(`--- started (pid ${child.pid}) at ${new Date().toISOString()} ---`);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', write);
  }
  const flushed = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      write(`--- exited (${signal ?? `code ${code}`}) at ${new Date().toISOString()} ---`);
      file.end(() => resolve());
    });
  });
  return {
    path,
    tail: (lines = 30) => recent.slice(-lines).join('\n'),
    flushed,
  };
}
