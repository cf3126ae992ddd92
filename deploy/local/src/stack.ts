// Programmatic API of the local stack, used by the CLI, the test runner and the chaos harness.
import type { Component, ComponentStatus, Settings } from './component.ts';
import { envFile } from './config.ts';
import { writeEnvFile } from './env-file.ts';
import { kafka } from './kafka.ts';
import { withLock } from './lock.ts';
import { postgres } from './postgres.ts';
import { redis } from './redis.ts';
import { registry } from './registry.ts';
import type { ComponentName } from './state.ts';

export type { ComponentStatus } from './component.ts';
export { StackError } from './errors.ts';
export type { ComponentName } from './state.ts';

/** Start order: the registry stores its schemas in PostgreSQL. */
const tiers: Component[][] = [
  [postgres, redis],
  [kafka, registry],
];
const all = tiers.flat();

/** Runs a tier in parallel, but lets every member finish (and record its pid) before failing. */
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

async function upUnlocked() {
  const started: string[] = [];
  let settings: Settings = {};
  for (const tier of tiers) {
    const results = await settleAll(tier.map((component) => component.up(settings)));
    results.forEach((result, index) => {
      if (result.started) started.push(tier[index]!.name);
      settings = { ...settings, ...result.settings };
    });
  }
  writeEnvFile(envFile, settings);
  return { started, envFile, settings };
}

async function downUnlocked(only?: string[]) {
  for (const tier of [...tiers].reverse()) {
    const chosen = tier.filter(({ name }) => !only || only.includes(name));
    await settleAll(chosen.map((component) => component.down()));
  }
}

/** Brings every component up (idempotent) and writes .stack/stack.env. */
export function up(): Promise<{ started: string[]; envFile: string; settings: Settings }> {
  return withLock(upUnlocked);
}

/** Stops what `up` started (all, or `only` those named); reused servers are left alone. */
export function down(options: { only?: string[] } = {}): Promise<void> {
  return withLock(() => downUnlocked(options.only));
}

export function status(): Promise<ComponentStatus[]> {
  return Promise.all(all.map((component) => component.status()));
}

/** Stops one server and starts it again, returning once it is ready (tests, chaos harness). */
export function restart(component: Extract<ComponentName, 'kafka' | 'registry'>): Promise<void> {
  return withLock(async () => {
    await downUnlocked([component]);
    await upUnlocked();
  });
}
