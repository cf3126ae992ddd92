// `npm run token -- --customer <id> [--scope admin] [--ttl 1h]`: prints a bearer token signed
// with the local stack's key, for trying the API by hand.
import { parseArgs } from 'node:util';
import { stackTokenIssuer } from '@saga/shared/auth';

const USAGE = `Usage: npm run token -- --customer <id> [--scope <name>]... [--ttl <n>(s|m|h|d)]

Prints a bearer token of the local stack for customer <id> (its "sub"), valid for --ttl
(default 1h). --scope admin lets it write products and read every customer's orders.

  TOKEN=$(npm run -s token -- --customer c-1)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/orders`;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function seconds(ttl: string): number {
  const match = /^(\d+)([smhd])$/.exec(ttl);
  if (!match || Number(match[1]) === 0)
    throw new Error(`--ttl ${ttl}: expected e.g. 90s, 15m, 1h, 7d`);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

try {
  const { values } = parseArgs({
    options: {
      customer: { type: 'string' },
      scope: { type: 'string', multiple: true, default: [] },
      ttl: { type: 'string', default: '1h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
  } else {
    if (!values.customer) throw new Error('--customer is required');
    const issue = await stackTokenIssuer();
    console.log(
      await issue({
        subject: values.customer,
        scopes: values.scope,
        ttlSeconds: seconds(values.ttl),
      }),
    );
  }
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exitCode = 2;
}
