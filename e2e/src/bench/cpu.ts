import { cpus } from 'node:os';

/** This process's CPU time so far, ms, all threads. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time in ms: the whole machine's busy and idle, summed over its cores, and this process's. */
export function cpuReading() {
  let busy = 0;
  let idle = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    idle += times.idle;
  }
  return { busy, idle, process: processCpuMs() };
}
export type CpuReading = ReturnType<typeof cpuReading>;

/**
 * Where the CPU went since `start`, in percent of one core (a machine of n cores has n × 100):
 * the whole machine's busy time, and this process's.
 */
export function cpuSince(start: CpuReading) {
  const end = cpuReading();
  const cores = cpus().length;
  const elapsed = (end.busy - start.busy + end.idle - start.idle) / cores;
  const share = (ms: number) => (100 * ms) / elapsed;
  return {
    cores,
    machine: share(end.busy - start.busy),
    process: share(end.process - start.process),
  };
}
