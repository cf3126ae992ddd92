// Where the stack keeps its files and which ports it uses; every knob is an env override.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from './errors.ts';

export const KAFKA_VERSION = '3.9.2';
export const APICURIO_VERSION = '3.3.3';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const deployDir = join(repoRoot, 'deploy', 'local');

/** Git-ignored runtime state: generated configs, data, logs, pids. */
export const stateDir = join(repoRoot, '.stack');
export const logsDir = join(stateDir, 'logs');
export const envFile = join(stateDir, 'stack.env');

/** Downloads live outside the repo so a `git clean` never throws away 100 MB of jars. */
export const cacheDir = process.env.SAGA_CACHE_DIR ?? join(homedir(), '.cache', 'saga-platform');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackError(
      `${name}=${raw} is not a TCP port: set it to a number between 1 and 65535.`,
    );
  }
  return value;
}

export const ports = {
  kafka: port('KAFKA_PORT', 9092),
  kafkaController: port('KAFKA_CONTROLLER_PORT', 9093),
  registry: port('REGISTRY_PORT', 8081),
  // Quarkus defaults to 9000, which other tools on dev machines often hold.
  registryManagement: port('REGISTRY_MANAGEMENT_PORT', 9001),
};

export const postgresUrl =
  process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** How long `up` waits for one component to become ready. */
export const readyTimeoutMs = Number(process.env.STACK_READY_TIMEOUT_MS ?? 120_000);
