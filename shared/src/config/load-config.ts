import type { z } from 'zod';
import { findEnvFile, readEnvFile } from './env-file.js';

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly source: string,
  ) {
    super(`Invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Defaults to `process.env`. Variables here win over the env file. */
  env?: NodeJS.ProcessEnv;
  /** Explicit env file; `null` reads none. Defaults to {@link findEnvFile}. */
  envFile?: string | null;
}

/**
 * Reads settings from the env file and the environment, validates them once with `schema`, and
 * fails fast with every missing or malformed variable named.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  options: LoadConfigOptions = {},
): z.infer<S> {
  const env = options.env ?? process.env;
  const envFile = options.envFile === undefined ? findEnvFile(env) : options.envFile;
  const merged = { ...(envFile ? readEnvFile(envFile) : {}), ...env };
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const value = merged[String(issue.path[0])];
    return value === undefined
      ? `${name} is missing: ${issue.message}`
      : `${name}=${JSON.stringify(value)} is invalid: ${issue.message}`;
  });
  throw new ConfigError(problems, envFile ? `environment and ${envFile}` : 'environment');
}
