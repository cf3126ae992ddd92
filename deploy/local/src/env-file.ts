// The one file services and tests read their connection settings from (`set -a; . stack.env`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from './component.ts';

export function formatEnv(settings: Settings): string {
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  return `# Written by \`npm run stack -- up\`; do not edit.\n${lines.join('\n')}\n`;
}

export function writeEnvFile(path: string, settings: Settings) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatEnv(settings));
}

/** Reads a file written by writeEnvFile (KEY=value lines, `#` comments). */
export function readEnvFile(path: string): Settings {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('=') && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

/** Settings fit to print: a URL's password (a reused server's, e.g. in POSTGRES_URL) is masked. */
export function maskPasswords(settings: Settings): Settings {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => {
      if (!URL.canParse(value)) return [name, value];
      const url = new URL(value);
      if (!url.password) return [name, value];
      url.password = '***';
      return [name, url.toString()];
    }),
  );
}
