import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { type FaultHooks, noFaults } from '../faults/index.js';
import type { Publisher } from '../kafka/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import {
  markThenRead,
  OUTBOX_SESSION_OPTIONS,
  type OutboxRow,
  prunePublished,
  unpublishedBacklog,
} from '../outbox/index.js';
import {
  type BackoffPolicy,
  createWakeableSleep,
  noJitter,
  retryDelayMs,
} from '../timing/index.js';
import { advisoryLockLeadership, type Leadership } from './leadership.js';

export interface RelayConfig {
  /** The service database's pool (housekeeping; wake-ups for another instance's relay). */
  pool: pg.Pool;
  /** Connection string of the same database, for the leadership session. */
  databaseUrl: string;
  publisher: Publisher;
  logger: Logger;
  metrics?: PlatformMetrics;
  faults?: FaultHooks;
  /** Rows read and published per round. Default 1000. */
  batchSize?: number;
  /**
   * After publishing a partial batch, the next round starts no sooner than this long after the
   * last one began, so rows committed meanwhile share a round: fewer, fuller rounds for the
   * database, the broker and the consumers, for at most this much added latency. A row
   * committed after a quiet spell goes out at once. Default 10 ms: a shorter linger trades CPU
   * headroom, a consumer transaction per round, for little latency (see the one-hop benchmark's
   * --linger). 0 disables.
   */
  lingerMs?: number;
  /** Fallback poll when no wake-up arrives, ms. Default 200. */
  pollIntervalMs?: number;
  /** How often a standby tries to take over, ms. Default 1000. */
  standbyIntervalMs?: number;
  /** Published rows are deleted after this long, ms. Default 24 h. */
  retentionMs?: number;
  /** How often the leader prunes and refreshes the outbox gauges, ms. Default 5000. */
  housekeepingIntervalMs?: number;
  /** Prepended to every Kafka topic name, to isolate environments sharing a broker. Default ''. */
  topicPrefix?: string;
  /** Advisory lock key; one relay per database leads. */
  lockId?: number;
}

export interface Relay {
  /** Publishes until `signal` aborts; never throws for infrastructure failures, it waits them out. */
  run(signal: AbortSignal): Promise<void>;
  /**
   * Call after committing a transaction that wrote outbox rows. Free when this instance leads;
   * otherwise one coalesced NOTIFY tells the leader, outside the business transaction.
   */
  wake(): void;
  readonly isLeader: boolean;
}

const CHANNEL = 'outbox_committed';
const DEFAULT_LOCK_ID = 7_350_002;

/** After a failed round: 200 ms, doubling up to 5 s; a handful of relays is no herd to spread. */
const ROUND_BACKOFF: BackoffPolicy = {
  initialInterval: 200,
  backoffCoefficient: 2,
  maximumInterval: 5_000,
};

export function createRelay(config: RelayConfig): Relay {
  const batchSize = config.batchSize ?? 1000;
  const lingerMs = config.lingerMs ?? 10;
  const pollIntervalMs = config.pollIntervalMs ?? 200;
  const standbyIntervalMs = config.standbyIntervalMs ?? 1000;
  const retentionMs = config.retentionMs ?? 24 * 60 * 60 * 1000;
  const housekeepingIntervalMs = config.housekeepingIntervalMs ?? 5000;
  const faults = config.faults ?? noFaults;
  const topicPrefix = config.topicPrefix ?? '';
  const { pool, publisher, metrics } = config;
  const logger = config.logger.child({ component: 'relay' });
  const leadership: Leadership = advisoryLockLeadership(
    config.databaseUrl,
    config.lockId ?? DEFAULT_LOCK_ID,
    CHANNEL,
    OUTBOX_SESSION_OPTIONS,
  );

  const idle = createWakeableSleep();
  leadership.onNotify(idle.wake);

  let notifyInFlight = false;
  let notifyAgain = false;
  const notifyLeader = () => {
    if (notifyInFlight) {
      notifyAgain = true;
      return;
    }
    notifyInFlight = true;
    pool
      .query(`SELECT pg_notify('${CHANNEL}', '')`)
      .catch(() => {}) // a lost wake-up costs one poll interval, never data
      .finally(() => {
        notifyInFlight = false;
        if (notifyAgain) {
          notifyAgain = false;
          notifyLeader();
        }
      });
  };

  /** `markThenRead` on the leader's session; with `limit` 0 it only marks. */
  function read(
    published: readonly OutboxRow[],
    inFlight: readonly OutboxRow[],
    limit = batchSize,
  ): Promise<OutboxRow[]> {
    // Commits woken about before this read are visible to it; any later one must not be slept on.
    idle.clear();
    return markThenRead(leadership, published, inFlight, limit);
  }

  async function publish(rows: readonly OutboxRow[]) {
    await publisher.publish(
      rows.map(({ topic, key, payload, headers }) => ({
        topic: topicPrefix + topic,
        key,
        value: payload,
        headers,
      })),
    );
    const ackedAt = Date.now();
    faults.reach('relay.after-publish');
    if (metrics) {
      metrics.relayPublished.inc(rows.length);
      for (const row of rows) {
        metrics.relayPublishLatency.observe((ackedAt - row.created_at.getTime()) / 1000);
      }
    }
  }

  async function housekeeping() {
    await prunePublished(pool, retentionMs);
    if (!metrics) return;
    const { pending, oldestAgeSeconds } = await unpublishedBacklog(pool);
    metrics.outboxPending.set(pending);
    metrics.outboxOldestAge.set(oldestAgeSeconds);
  }

  /**
   * Prunes and refreshes the gauges every `housekeepingIntervalMs` while this instance leads, on
   * the pool and never in the publishing loop's way. Returns a function that stops it.
   */
  function keepHouse(): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const tick = () => {
      running = housekeeping()
        .catch((error) => logger.warn({ err: error }, 'outbox housekeeping failed'))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, housekeepingIntervalMs);
        });
    };
    tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }

  /**
   * Publishes batch after batch, one in flight; each round's read also marks the batch before.
   * Under a backlog the next batch is read (and the previous one marked) while one is published.
   * The leader's session runs statements in the order they were issued, so a read sees every
   * mark issued before it. After a partial batch the next round waits out the linger, so rows
   * committed meanwhile go out together, and then for a wake-up, which its read marks the batch
   * with.
   */
  async function lead(signal: AbortSignal) {
    const stopHousekeeping = keepHouse();
    let unmarked: readonly OutboxRow[] = [];
    const markUnmarkedThenRead = (inFlight: readonly OutboxRow[]) => {
      const published = unmarked;
      unmarked = [];
      return read(published, inFlight);
    };
    let next: Promise<OutboxRow[]> | undefined;
    try {
      while (!signal.aborted && leadership.held) {
        const roundStarted = performance.now();
        const rows = await (next ?? markUnmarkedThenRead([]));
        next = rows.length === batchSize ? markUnmarkedThenRead(rows) : undefined;
        if (rows.length === 0) {
          await idle.sleep(pollIntervalMs, signal);
          continue;
        }
        await publish(rows);
        // After a read ahead the batch before this one may still be unmarked.
        unmarked = [...unmarked, ...rows];
        const lingered = performance.now() - roundStarted;
        if (!next && lingered < lingerMs) {
          await sleep(lingerMs - lingered, undefined, { signal }).catch(() => {});
        }
        // With nothing committed meanwhile, the batch's mark waits for the next read (a wake-up
        // or the poll) and goes with it: one statement a batch instead of two.
        if (!next) await idle.sleep(pollIntervalMs, signal);
      }
    } finally {
      // A round that failed may leave a read behind; its error is the round's. Published rows
      // not marked yet are marked if the session still leads, else published again later.
      await next?.catch(() => {});
      if (unmarked.length > 0 && leadership.held) {
        await read(unmarked, [], 0).catch(() => {});
      }
      await stopHousekeeping();
    }
  }

  return {
    get isLeader() {
      return leadership.held;
    },
    wake() {
      if (leadership.held) idle.wake();
      else notifyLeader();
    },
    async run(signal) {
      let failures = 0;
      try {
        while (!signal.aborted) {
          try {
            if (await leadership.tryAcquire()) {
              logger.info('leading: publishing outbox rows');
              metrics?.relayLeader.set(1);
              await lead(signal);
            } else {
              await sleep(standbyIntervalMs, undefined, { signal }).catch(() => {});
            }
            failures = 0;
          } catch (error) {
            failures++;
            const delay = retryDelayMs(failures, ROUND_BACKOFF, noJitter);
            logger.warn({ err: error, retryInMs: delay }, 'relay round failed; retrying');
            await sleep(delay, undefined, { signal }).catch(() => {});
          } finally {
            metrics?.relayLeader.set(leadership.held ? 1 : 0);
          }
        }
      } finally {
        await leadership.release();
        metrics?.relayLeader.set(0);
      }
    },
  };
}
