// What `up` started, so `down` stops exactly that and never a server the machine already ran.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './config.ts';

export type ComponentName = 'kafka' | 'registry' | 'postgres' | 'redis';

export interface StartedProcess {
  pid: number;
  port: number;
  /** A string in the process's command line, to tell our process from a recycled pid. */
  marker: string;
  /** Connection URL, for servers whose address is chosen at start (postgres/redis fallback). */
  url?: string;
}

type State = Partial<Record<ComponentName, StartedProcess>>;

const stateFile = join(stateDir, 'state.json');

function read(): State {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  } catch {
    return {};
  }
}

export function getStarted(name: ComponentName): StartedProcess | undefined {
  return read()[name];
}

export function setStarted(name: ComponentName, record: StartedProcess | undefined) {
  const state = read();
  if (record) state[name] = record;
  else delete state[name];
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}
