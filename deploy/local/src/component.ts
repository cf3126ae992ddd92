// The lifecycle shared by every component: reuse what runs, start what is missing, wait until
// ready, and stop only what this stack started.
import { readyTimeoutMs } from './config.ts';
import { isRunning, stopProcess, waitUntilReady } from './process.ts';
import { type ComponentName, getStarted, type StartedProcess, setStarted } from './state.ts';

export type Settings = Record<string, string>;

export interface ComponentStatus {
  name: ComponentName;
  up: boolean;
  pid?: number;
  port: number;
  /** 'stack' when `up` started it (and `down` will stop it), 'machine' when reused. */
  owner: 'stack' | 'machine';
  /** The connection settings it contributes to stack.env. */
  settings: Settings;
}

export interface ComponentSpec {
  name: ComponentName;
  /** Port used when the stack starts it, or the configured one for a reused server. */
  defaultPort: number;
  /** Postgres/Redis: a server already answering at the configured URL is used as is. */
  reusable: boolean;
  /** Env settings pointing at our process (`started`) or at the configured server. */
  settings(started?: StartedProcess): Settings;
  /** A cheap end-to-end probe using those settings. */
  healthy(settings: Settings): Promise<boolean>;
  /** Launches the server in the background; `stack` holds the settings of components before it. */
  start(stack: Settings): Promise<StartedProcess>;
  /** Idempotent setup once ready (e.g. the registry's compatibility rule). */
  configure?(settings: Settings): Promise<void>;
  /** Defaults to SIGTERM, then SIGKILL. */
  stop?(started: StartedProcess): Promise<void>;
}

export interface Component {
  name: ComponentName;
  up(stack: Settings): Promise<{ started: boolean; settings: Settings }>;
  down(): Promise<void>;
  status(): Promise<ComponentStatus>;
}

export function component(spec: ComponentSpec): Component {
  const ours = () => {
    const started = getStarted(spec.name);
    return started && isRunning(started) ? started : undefined;
  };

  async function ready(started: StartedProcess) {
    const settings = spec.settings(started);
    await waitUntilReady(spec.name, started, () => spec.healthy(settings), readyTimeoutMs);
    await spec.configure?.(settings);
    return settings;
  }

  async function down() {
    const started = getStarted(spec.name);
    if (started) await (spec.stop ?? stopProcess)(started);
    setStarted(spec.name, undefined);
  }

  return {
    name: spec.name,

    async up(stack) {
      const running = ours();
      if (running) return { started: false, settings: await ready(running) };
      setStarted(spec.name, undefined); // forget a process that died on its own
      if (spec.reusable) {
        const settings = spec.settings();
        if (await spec.healthy(settings)) return { started: false, settings };
      }
      const started = await spec.start(stack);
      setStarted(spec.name, started);
      try {
        return { started: true, settings: await ready(started) };
      } catch (error) {
        await down();
        throw error;
      }
    },

    down,

    async status() {
      const running = ours();
      const settings = spec.settings(running);
      const up = (running !== undefined || spec.reusable) && (await spec.healthy(settings));
      return {
        name: spec.name,
        up,
        ...(running && { pid: running.pid }),
        port: running?.port ?? spec.defaultPort,
        owner: running || !spec.reusable ? 'stack' : 'machine',
        settings,
      };
    },
  };
}
