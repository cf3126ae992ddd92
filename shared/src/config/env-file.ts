import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** Where `npm run stack -- up` writes the connection settings, relative to the repository root. */
export const STACK_ENV_FILE = join('.stack', 'stack.env');

/**
 * The env file to read: `SAGA_ENV_FILE` when set, otherwise the stack's file found by walking up
 * from `from`. Returns undefined when there is none (settings then come from the environment only).
 */
export function findEnvFile(
  env: NodeJS.ProcessEnv = process.env,
  from = process.cwd(),
): string | undefined {
  if (env.SAGA_ENV_FILE) return resolve(env.SAGA_ENV_FILE);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, STACK_ENV_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function readEnvFile(path: string): Record<string, string> {
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}
