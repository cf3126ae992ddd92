import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { sampleEvent } from '../events/fixtures.js';
import { noFaults } from '../faults/index.js';
import { createLogger } from '../logger/index.js';
import { newEventId, unitsOfWork } from '../outbox/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createApply } from './apply.js';
import type { Decoded } from './decode.js';
import type { Handlers } from './handler.js';

const logger = createLogger({ service: 'apply-test', level: 'silent' });

/** A payment.completed of `orderId`, as the runner hands it over once decoded. */
function delivery(orderId: string): Decoded {
  const eventId = newEventId();
  const event = { ...sampleEvent('payment.completed'), orderId, eventId };
  return {
    topic: 'payment.completed',
    headers: {},
    eventTopic: 'payment.completed',
    event,
    eventId,
    orderId,
  };
}

describe('applying a batch of events', () => {
  let database: TestDatabase;
  /** What the handlers did, in the order they did it. */
  let steps: string[];

  before(async () => {
    database = await createTestDatabase();
    await database.pool.query('CREATE TABLE notes (order_id text NOT NULL, step int NOT NULL)');
  });
  beforeEach(async () => {
    steps = [];
    await database.pool.query('TRUNCATE notes, processed_events');
  });
  after(() => database.drop());

  /** Handlers that note each event in two statements, the first slow for sagas `slow…`. */
  function applyWith(fail?: string) {
    const handlers = {
      'payment.completed': async (event, { tx }) => {
        const { orderId } = event;
        steps.push(`${orderId} begins`);
        if (orderId === fail) throw new Error(`${orderId} refused`);
        await tx.execute(sql`SELECT pg_sleep(${orderId.startsWith('slow') ? 0.1 : 0})`);
        await tx.execute(sql`INSERT INTO notes VALUES (${orderId}, 1)`);
        steps.push(`${orderId} ends`);
      },
    } as Handlers;
    const encoder = { encode: async () => Buffer.alloc(0) };
    return createApply({
      consumer: 'apply-test',
      handlers,
      openUnitOfWork: unitsOfWork(database.pool, encoder, () => {}),
      logger,
      faults: noFaults,
    });
  }

  const notes = async () =>
    (await database.pool.query('SELECT order_id FROM notes ORDER BY order_id')).rows.map(
      (row: { order_id: string }) => row.order_id,
    );

  it("applies one key's events in order and other keys' beside them", async () => {
    const apply = applyWith();
    const applied = await apply([delivery('slow-1'), delivery('slow-2'), delivery('quick')]);

    assert.deepEqual(
      applied.map(({ outcome }) => outcome),
      ['ok', 'ok', 'ok'],
    );
    // On one connection the server runs them in turn, but quick's were sent without waiting.
    assert.ok(steps.indexOf('quick begins') < steps.indexOf('slow-1 ends'), 'not behind slow-1');
    assert.deepEqual(await notes(), ['quick', 'slow-1', 'slow-2']);
  });

  it('keeps the events of one key in order', async () => {
    const apply = applyWith();
    const [first, second] = [delivery('slow'), delivery('slow')];
    await apply([first!, second!]);
    assert.deepEqual(steps, ['slow begins', 'slow ends', 'slow begins', 'slow ends']);
  });

  it('commits nothing when one handler fails, once the others have stopped', async () => {
    const apply = applyWith('refused');
    await assert.rejects(
      apply([delivery('slow-1'), delivery('slow-1'), delivery('refused')]),
      /refused refused/,
    );
    assert.ok(!steps.includes('slow-1 begins', 1), "slow-1's second event was not begun");
    assert.deepEqual(await notes(), []);
    const { rowCount } = await database.pool.query('SELECT 1 FROM processed_events');
    assert.equal(rowCount, 0);
  });
});
