// Which processes a saga's CPU is spent in: the services, the gateway simulator, the stack's
// servers and this load generator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../../launcher/index.js';
import { repoRoot } from '../../launcher/index.js';
import { type CpuSource, loadGenerator, processesNamed } from './process-cpu.js';

/** A server the stack started records its pid in .stack/state.json; a reused one is found by name. */
function stackPid(component: string): number[] {
  try {
    const state = JSON.parse(readFileSync(join(repoRoot, '.stack', 'state.json'), 'utf8'));
    const pid = state[component]?.pid;
    return typeof pid === 'number' ? [pid] : [];
  } catch {
    return [];
  }
}

export function cpuSources(platform: Platform): CpuSource[] {
  const services = Object.entries(platform.services).map(([name, handles]) => ({
    name: `${name}-service`,
    pids: () => handles!.map((handle) => handle.pid),
  }));
  return [
    ...services,
    { name: 'gateway simulator', pids: () => [platform.gateway.pid] },
    { name: 'PostgreSQL', pids: processesNamed('postgres') },
    { name: 'Kafka', pids: () => stackPid('kafka') },
    { name: 'schema registry', pids: () => stackPid('registry') },
    { name: 'Redis', pids: processesNamed('redis-server') },
    loadGenerator,
  ];
}
