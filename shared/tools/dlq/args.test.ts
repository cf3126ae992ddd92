import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand, UsageError } from './args.js';

describe('dlq tool arguments', () => {
  it('parses a list with JSON output', () => {
    assert.deepEqual(parseCommand(['list', '--service', 'payment', '--json']), {
      kind: 'list',
      service: 'payment',
      json: true,
    });
  });

  it('parses a replay with every option, and defaults --max-replays to 3', () => {
    assert.deepEqual(
      parseCommand([
        'replay',
        '--service=order',
        '--dry-run',
        '--event-id',
        'abc',
        '--older-than',
        '2h',
        '--max-replays',
        '5',
      ]),
      {
        kind: 'replay',
        service: 'order',
        json: false,
        dryRun: true,
        eventId: 'abc',
        olderThanMs: 7_200_000,
        maxReplays: 5,
      },
    );
    assert.deepEqual(parseCommand(['replay', '--service', 'order']), {
      kind: 'replay',
      service: 'order',
      json: false,
      dryRun: false,
      maxReplays: 3,
    });
  });

  it('parses a purge of entries older than seven days', () => {
    assert.deepEqual(parseCommand(['purge', '--service', 'delivery', '--older-than', '7d']), {
      kind: 'purge',
      service: 'delivery',
      json: false,
      dryRun: false,
      olderThanMs: 7 * 86_400_000,
    });
  });

  it('accepts any well-formed service name: whether the service exists is for the broker', () => {
    assert.deepEqual(parseCommand(['list', '--service', 'shipping']), {
      kind: 'list',
      service: 'shipping',
      json: false,
    });
  });

  it('answers --help whatever else is given', () => {
    assert.deepEqual(parseCommand(['--help']), { kind: 'help' });
    assert.deepEqual(parseCommand(['replay', '-h']), { kind: 'help' });
  });

  const rejected: [string[], RegExp][] = [
    [[], /Missing command/],
    [['frob', '--service', 'order'], /Unknown command "frob"/],
    [['list'], /Missing --service/],
    [['list', '--service', 'Order-Service'], /Invalid --service "Order-Service": expected a short/],
    [['list', '--service', 'order.dlq'], /Invalid --service "order.dlq"/],
    [['list', '--service', 'order', '--verbose'], /Unknown option '--verbose'/],
    [['list', '--service'], /argument missing/],
    [['list', '--service', 'order', '--dry-run'], /--dry-run does not apply to list/],
    [['purge', '--service', 'order', '--max-replays', '2'], /--max-replays does not apply/],
    [['replay', '--service', 'order', '--max-replays', '0'], /Invalid --max-replays "0"/],
    [['replay', '--service', 'order', '--max-replays', 'many'], /Invalid --max-replays/],
    [['purge', '--service', 'order', '--older-than', '7'], /Invalid --older-than "7"/],
    [['list', 'extra', '--service', 'order'], /Unexpected argument "extra"/],
  ];
  for (const [argv, message] of rejected) {
    it(`rejects \`${argv.join(' ')}\` with a usage error`, () => {
      assert.throws(
        () => parseCommand(argv),
        (error) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
