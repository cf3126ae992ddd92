// Programmatic API of the local stack, used by the CLI, the test runner and the chaos harness.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureAuthKeys } from './auth-keys.ts';
import type { Component, ComponentStatus, Settings } from './component.ts';
import { envFile, repoRoot, stateDir } from './config.ts';
import { writeEnvFile } from './env-file.ts';
import { kafka, kafkaCluster } from './kafka.ts';
import { withLock } from './lock.ts';
import { dropPlatformDatabases, postgres } from './postgres.ts';
import { deletePlatformKeys, redis } from './redis.ts';
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

/**
 * Kafka's data and the registry's schemas live and die together: the schema ids in a cluster's
 * events mean nothing to another registry database. A Kafka about to be formatted takes the
 * registry down with it, and the registry starts on the database of the cluster it is given.
 */
async function pairRegistryWithKafka(): Promise<Settings> {
  const cluster = kafkaCluster();
  if (!cluster.formatted) await registry.down();
  return { KAFKA_CLUSTER_ID: cluster.id };
}

async function upUnlocked() {
  const started: string[] = [];
  let settings: Settings = {};
  for (const tier of tiers) {
    if (tier.includes(kafka)) settings = { ...settings, ...(await pairRegistryWithKafka()) };
    const results = await settleAll(tier.map((component) => component.up(settings)));
    results.forEach((result, index) => {
      if (result.started) started.push(tier[index]!.name);
      settings = { ...settings, ...result.settings };
    });
  }
  settings = { ...settings, ...ensureAuthKeys() };
  writeEnvFile(envFile, settings);
  return { started, envFile, settings };
}

async function downUnlocked(only?: string[]) {
  for (const tier of [...tiers].reverse()) {
    const chosen = tier.filter(({ name }) => !only || only.includes(name));
    await settleAll(chosen.map((component) => component.down()));
  }
}

/**
 * Takes the platform's data out of the servers the stack reuses, while they run: its databases
 * (all named `saga_…`) and their roles, and its Redis keys. What the stack started is stopped,
 * then its files go.
 */
async function resetUnlocked(): Promise<string[]> {
  const deleted: string[] = [];
  const [database, cache] = await Promise.all([postgres.status(), redis.status()]);
  if (database.up && database.owner === 'machine') {
    const { databases, roles } = await dropPlatformDatabases(database.settings.POSTGRES_URL!);
    if (databases.length) deleted.push(`databases ${databases.join(', ')}`);
    if (roles.length) deleted.push(`roles ${roles.join(', ')}`);
  }
  if (cache.up && cache.owner === 'machine') {
    const keys = await deletePlatformKeys(cache.settings.REDIS_URL!);
    if (keys) deleted.push(`${keys} Redis keys (idempotency records)`);
  }
  await downUnlocked();
  // Everything but the lock this call holds: Kafka's data, private servers' data, logs, settings.
  for (const entry of readdirSync(stateDir).filter((name) => !name.startsWith('lock'))) {
    rmSync(join(stateDir, entry), { recursive: true, force: true });
    deleted.push(relative(repoRoot, join(stateDir, entry)));
  }
  return deleted;
}

/** Brings every component up (idempotent) and writes .stack/stack.env. */
export function up(): Promise<{ started: string[]; envFile: string; settings: Settings }> {
  return withLock(upUnlocked);
}

/** Stops what `up` started (all, or `only` those named); reused servers are left alone. */
export function down(options: { only?: string[] } = {}): Promise<void> {
  return withLock(() => downUnlocked(options.only));
}

/**
 * Stops the stack and deletes everything it owns, as on a machine that never ran it (downloaded
 * jars stay cached). The servers it reused keep running with their other databases and keys.
 * Returns what it deleted.
 */
export function reset(): Promise<string[]> {
  return withLock(resetUnlocked);
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
