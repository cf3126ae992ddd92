import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findEnvFile, loadConfig, readEnvFile, stackSchema } from '@saga/shared/config';

/** The repository root: processes run from there and their entries are named relative to it. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where launched processes write their logs, one file per process name. */
export const defaultLogDir = join(repoRoot, '.stack', 'logs', 'e2e');

/** tsx's loader as the repository installed it, so processes run from sources without a build. */
export const tsxLoader = pathToFileURL(
  createRequire(join(repoRoot, 'package.json')).resolve('tsx'),
).href;

/** The stack env file's settings (`npm run stack -- up`), empty when there is none. */
export function stackEnv(): Record<string, string> {
  const file = findEnvFile(process.env, repoRoot);
  return file ? readEnvFile(file) : {};
}

/** The stack's connection settings as the launched processes will see them. */
export function stackSettings() {
  return loadConfig(stackSchema, { env: process.env, envFile: findEnvFile(process.env, repoRoot) });
}
