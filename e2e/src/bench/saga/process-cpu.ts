// CPU time of the platform's processes, read from /proc, so one saga's cost can be split among
// the services, the stores and the load generator. Linux only, like the local stack.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuMs } from '../cpu.js';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux the stack runs on. */
const TICKS_PER_SECOND = 100;

/** A named group of processes: a service instance, or all of PostgreSQL's processes. */
export interface CpuSource {
  name: string;
  pids(): number[];
}

function cpuMsOfPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined; // gone
  }
}

/** Every running process whose command name is `comm` (e.g. all of PostgreSQL's backends). */
export function processesNamed(comm: string): () => number[] {
  return () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(join('/proc', pid, 'comm'), 'utf8').trim() === comm;
        } catch {
          return false;
        }
      })
      .map(Number);
}

/** This process: the load generator. */
export const loadGenerator: CpuSource = { name: 'load generator', pids: () => [process.pid] };

type Reading = Map<string, Map<number, number>>;

function read(sources: readonly CpuSource[]): Reading {
  return new Map(
    sources.map((source) => [
      source.name,
      new Map(
        source.pids().flatMap((pid) => {
          const ms = pid === process.pid ? processCpuMs() : cpuMsOfPid(pid);
          return ms === undefined ? [] : [[pid, ms] as const];
        }),
      ),
    ]),
  );
}

/**
 * Starts counting; `stop()` gives each source's CPU ms since. A process that started meanwhile
 * counts whole; one that ended meanwhile is lost (pools keep their connections, so few do).
 */
export function countCpu(sources: readonly CpuSource[]) {
  const start = read(sources);
  return {
    stop(): Map<string, number> {
      const end = read(sources);
      return new Map(
        sources.map(({ name }) => {
          let ms = 0;
          for (const [pid, now] of end.get(name)!) ms += now - (start.get(name)!.get(pid) ?? 0);
          return [name, ms];
        }),
      );
    },
  };
}
