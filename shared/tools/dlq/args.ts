import { parseArgs } from 'node:util';
import { parseDuration } from './duration.js';
import { SERVICE_NAME } from './session.js';

export const USAGE = `Usage: npm run dlq -- <command> --service <name> [options]

Inspects and re-drives the dead letters of one service (<name>.dlq).

Commands:
  list     Every retained dead letter: event, origin, reason, attempts, replays, age, status.
  replay   Re-publishes pending dead letters to <name>.retry, once each, and records that.
  purge    Marks pending dead letters handled without replaying them. Kafka topics are
           append-only: nothing is deleted, the tool's recorded progress moves past them
           (retention removes the messages later).

Options:
  --service <name>        the service's short name: order for order-service (required)
  --event-id <id>         replay/purge: only the dead letters of this event
  --older-than <age>      replay/purge: only those dead-lettered at least <age> ago (90s, 15m, 12h, 7d, 2w)
  --max-replays <n>       replay: refuse events already replayed <n> times (default 3)
  --dry-run               replay/purge: print what would happen, change nothing
  --json                  print JSON instead of text
  -h, --help              this help

Reads KAFKA_BROKERS, and KAFKA_TOPIC_PREFIX if the services use one, from the environment or
.stack/stack.env.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

interface Common {
  service: string;
  json: boolean;
}
interface Filters {
  dryRun: boolean;
  eventId?: string;
  olderThanMs?: number;
}
export type Command =
  | { kind: 'help' }
  | ({ kind: 'list' } & Common)
  | ({ kind: 'replay'; maxReplays: number } & Common & Filters)
  | ({ kind: 'purge' } & Common & Filters);

const OPTIONS = {
  service: { type: 'string' },
  'event-id': { type: 'string' },
  'older-than': { type: 'string' },
  'max-replays': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Record<'list' | 'replay' | 'purge', readonly string[]> = {
  list: ['service', 'json'],
  replay: ['service', 'json', 'event-id', 'older-than', 'max-replays', 'dry-run'],
  purge: ['service', 'json', 'event-id', 'older-than', 'dry-run'],
};

export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's own message goes on about positionals; its first sentence is the useful part.
    throw new UsageError(String((error as Error).message).split('. ')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [kind, ...extra] = positionals;
  if (kind === undefined) throw new UsageError('Missing command: list, replay or purge');
  if (kind !== 'list' && kind !== 'replay' && kind !== 'purge') {
    throw new UsageError(`Unknown command "${kind}": expected list, replay or purge`);
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
  const misplaced = Object.keys(values).find((name) => !ALLOWED[kind].includes(name));
  if (misplaced) throw new UsageError(`--${misplaced} does not apply to ${kind}`);

  const { service } = values;
  if (service === undefined) throw new UsageError('Missing --service <name>');
  // Whether the service exists is for the broker to say: the tool fails if its topics do not.
  if (!SERVICE_NAME.test(service)) {
    throw new UsageError(
      `Invalid --service "${service}": expected a short name of lower-case letters, digits and _`,
    );
  }
  const common = { service, json: values.json ?? false };
  if (kind === 'list') return { kind, ...common };

  const filters: Filters = { dryRun: values['dry-run'] ?? false };
  if (values['event-id'] !== undefined) filters.eventId = values['event-id'];
  if (values['older-than'] !== undefined) {
    const olderThanMs = parseDuration(values['older-than']);
    if (olderThanMs === undefined) {
      throw new UsageError(
        `Invalid --older-than "${values['older-than']}": expected a number and a unit, like 7d or 12h`,
      );
    }
    filters.olderThanMs = olderThanMs;
  }
  if (kind === 'purge') return { kind, ...common, ...filters };

  const maxReplays = Number(values['max-replays'] ?? 3);
  if (!Number.isInteger(maxReplays) || maxReplays < 1) {
    throw new UsageError(
      `Invalid --max-replays "${values['max-replays']}": expected an integer ≥ 1`,
    );
  }
  return { kind, ...common, ...filters, maxReplays };
}
