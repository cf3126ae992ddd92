// `npm run stack -- up|down|status|reset|restart <kafka|registry>`
import { relative } from 'node:path';
import { repoRoot } from './config.ts';
import { formatEnv, maskPasswords, readEnvFile } from './env-file.ts';
import { StackError } from './errors.ts';
import { down, reset, restart, status, up } from './stack.ts';

const usage = 'Usage: npm run stack -- up | down | status | reset | restart <kafka|registry>';

async function main(command: string | undefined, argument: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      const begin = Date.now();
      const result = await up();
      const took = ((Date.now() - begin) / 1000).toFixed(1);
      const started = result.started.length ? `started ${result.started.join(', ')}` : 'already up';
      console.log(`Stack up (${started}, ${took} s). ${relative(repoRoot, result.envFile)}:\n`);
      console.log(formatEnv(maskPasswords(readEnvFile(result.envFile))));
      return 0;
    }
    case 'down':
      await down();
      console.log('Stopped what the stack started; reused PostgreSQL/Redis were left running.');
      return 0;
    case 'reset': {
      const deleted = await reset();
      console.log('Stopped the stack and deleted what it owned; downloaded jars stay cached.');
      for (const what of deleted) console.log(`  deleted ${what}`);
      if (deleted.length === 0) console.log('  (nothing to delete)');
      return 0;
    }
    case 'status': {
      const components = await status();
      for (const c of components) {
        const pid = c.pid === undefined ? '' : ` pid ${c.pid}`;
        const owner = c.owner === 'stack' ? 'started by stack' : "machine's, reused";
        console.log(
          `${c.name.padEnd(9)} ${c.up ? 'up  ' : 'DOWN'} port ${c.port}${pid} (${owner})`,
        );
      }
      return components.every((c) => c.up) ? 0 : 1;
    }
    case 'restart':
      if (argument !== 'kafka' && argument !== 'registry') break;
      await restart(argument);
      console.log(`Restarted ${argument}.`);
      return 0;
  }
  console.error(usage);
  return 2;
}

try {
  process.exitCode = await main(process.argv[2], process.argv[3]);
} catch (error) {
  if (!(error instanceof StackError)) throw error;
  console.error(`\n${error.message}`);
  process.exitCode = 1;
}
