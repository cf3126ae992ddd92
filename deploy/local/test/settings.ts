// Connection settings for the tests: the environment (the runner loads stack.env into it), or
// .stack/stack.env when a test file is run on its own.
import { envFile } from '../src/config.ts';
import { readEnvFile } from '../src/env-file.ts';

export function setting(name: string): string {
  const value = process.env[name] ?? readEnvFile(envFile)[name];
  if (!value) throw new Error(`${name} is not set: run \`npm run stack -- up\` first.`);
  return value;
}

/** A suffix that keeps names of topics, subjects and keys unique per run. */
export const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
