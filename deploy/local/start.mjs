// `npm start [-- --once]`: builds the services, brings the local stack up, then runs the demo
// (e2e/src/demo/main.ts): the four services and the gateway simulator from their compiled dist/
// on their default ports, a few orders whose sagas complete or compensate, their timelines, the
// invariants, and the services left running.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServices, ensureInstalled, repoRoot, stackUp } from './bootstrap.mjs';

ensureInstalled();

const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code) => (text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
const [bold, dim, green] = [paint(1), paint(2), paint(32)];

console.log(
  `${bold('Saga platform demo')} ${dim('· one order saga, four services, no orchestrator')}`,
);
buildServices((what, took) => console.log(`  ${green('✓')} ${what} ${dim(`(${took})`)}`));
const what = 'Local stack: Kafka, schema registry, PostgreSQL, Redis';
if (colour) process.stdout.write(`  … ${what}`);
const begin = Date.now();
const stack = await stackUp();
const took = `${((Date.now() - begin) / 1000).toFixed(1)} s`;
const how = stack.started.length ? `started ${stack.started.join(', ')}` : 'already running';
if (colour) process.stdout.write('\r\x1b[K');
console.log(`  ${green('✓')} ${what} ${dim(`(${how}, ${took})`)}`);

// Its own process group: a Ctrl-C reaches this process only, and the demo stops its services
// once, gracefully (a service takes a second signal as "exit now").
const demo = spawn(
  process.execPath,
  [
    '--conditions=source',
    '--import=tsx',
    join(repoRoot, 'e2e/src/demo/main.ts'),
    ...process.argv.slice(2),
  ],
  {
    cwd: repoRoot,
    env: { ...process.env, ...stack.settings },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  },
);

// npm forwards the terminal's Ctrl-C, which reached this process too: one press, two signals.
let lastForwarded = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (Date.now() - lastForwarded < 1_000) return;
    lastForwarded = Date.now();
    demo.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
