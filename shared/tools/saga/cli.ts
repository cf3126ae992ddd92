// `npm run saga -- stuck [--for <seconds>]` | `npm run saga -- retry <orderId> [--dry-run]`:
// operator commands on the local stack's sagas, with an admin token signed by the stack's key.
import { parseArgs } from 'node:util';
import { ADMIN_SCOPE, stackTokenIssuer } from '@saga/shared/auth';
import { loadConfig } from '@saga/shared/config';
import { z } from 'zod';
import { type SagaItem, sagaTable } from './table.js';

const USAGE = `Usage: npm run saga -- stuck [--for <seconds>] [--limit <n>]
       npm run saga -- retry <orderId> [--dry-run]

stuck   lists sagas not ended and without progress for --for seconds (default 60), and every
        saga holding a refund the gateway refused, with what each waits for.
retry   asks payment-service to try a refused refund of <orderId> again; --dry-run only shows
        what it would retry.

ORDER_SERVICE_URL and PAYMENT_SERVICE_URL (default http://127.0.0.1:3000 and :3001) say where.`;

const urls = loadConfig(
  z.object({
    ORDER_SERVICE_URL: z.url().default('http://127.0.0.1:3000'),
    PAYMENT_SERVICE_URL: z.url().default('http://127.0.0.1:3001'),
  }),
);

class UsageError extends Error {}

/** Calls a service as an operator; a problem answer becomes an error naming its detail. */
async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const issue = await stackTokenIssuer();
  const token = await issue({ subject: 'saga-cli', scopes: [ADMIN_SCOPE], ttlSeconds: 300 });
  const headers = { ...init.headers, authorization: `Bearer ${token}` };
  const response = await fetch(url, { ...init, headers }).catch((error: Error) => {
    throw new Error(`${url}: ${error.message} (is the service up? npm run start)`);
  });
  const body = (await response.json().catch(() => ({}))) as T & { detail?: string };
  if (!response.ok) throw new Error(`${response.status} from ${url}: ${body.detail ?? ''}`);
  return body;
}

async function stuck(stuckFor: string, limit: string) {
  const query = new URLSearchParams({ stuckFor, limit });
  const { items } = await call<{ items: SagaItem[] }>(`${urls.ORDER_SERVICE_URL}/sagas?${query}`);
  console.log(sagaTable(items));
}

async function retry(orderId: string, dryRun: boolean) {
  const saga = await call<SagaItem>(
    `${urls.ORDER_SERVICE_URL}/sagas/${encodeURIComponent(orderId)}`,
  );
  if (saga.compensationFailure === null) {
    throw new Error(`Order ${orderId} (${saga.status}) has no refused refund to retry.`);
  }
  const action = `retry the refund of order ${orderId}, refused with: ${saga.compensationFailure}`;
  if (dryRun) {
    console.log(`Would ${action}\n(dry run: nothing was changed)`);
    return;
  }
  const retried = await call<{ refundId: string; status: string }>(
    `${urls.PAYMENT_SERVICE_URL}/payments/${encodeURIComponent(orderId)}/refund/retry`,
    { method: 'POST' },
  );
  console.log(`Asked to ${action}\nrefund ${retried.refundId} is ${retried.status} again`);
}

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      for: { type: 'string', default: '60' },
      limit: { type: 'string', default: '100' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, orderId] = positionals;
  if (values.help) console.log(USAGE);
  else if (command === 'stuck') await stuck(values.for, values.limit);
  else if (command === 'retry' && orderId) await retry(orderId, values['dry-run']);
  else throw new UsageError(command ? `Unknown or incomplete command: ${command}` : 'No command');
} catch (error) {
  console.error(
    error instanceof UsageError ? `${error.message}\n\n${USAGE}` : (error as Error).message,
  );
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
