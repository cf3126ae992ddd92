import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Resident set size of a process in bytes (`ps -o rss=`), undefined when it is gone. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kib = Number.parseInt(stdout.trim(), 10);
    return Number.isNaN(kib) ? undefined : kib * 1024;
  } catch {
    return undefined;
  }
}

/** RSS of each named process, by name. */
export async function residentBytesOf(
  processes: readonly { name: string; pid: number }[],
): Promise<Map<string, number | undefined>> {
  const sizes = await Promise.all(processes.map((p) => residentBytes(p.pid)));
  return new Map(processes.map((p, index) => [p.name, sizes[index]]));
}
