import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from '@saga/shared/auth';
import { databaseUrl } from '@saga/shared/config';
import type { Admin } from 'kafkajs';
import {
  checkInvariants,
  connectPlatformDatabases,
  countDeadLetters,
  type InvariantResult,
} from '../invariants/index.js';
import type { Platform } from '../launcher/index.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';
import { inventoryApi, orderApi, type ProductSeed, UnexpectedAnswer } from './api.js';
import { waitForQuiescence } from './quiescence.js';
import { waitForCatalog } from './wait.js';

export interface SessionOptions {
  /** The running platform: its topic prefix, its services' URLs and their databases. */
  platform: Pick<Platform, 'prefix' | 'url' | 'databases'>;
  /** The server of the platform's databases. */
  postgresUrl: string;
  /** A connected Kafka admin client; the caller keeps it (and disconnects it). */
  admin: Admin;
  /** Tokens the platform accepts (`stackCredentials()`): each customer's, and an operator's. */
  credentials: Credentials;
}

export interface InvariantReport {
  results: InvariantResult[];
  /** What still moved when the check ran (empty: the platform was quiescent). */
  unsettled: string[];
  passed: boolean;
}

/** Tries per product before seeding fails: about 30 s, enough for an instance to restart. */
const SEED_ATTEMPTS = 20;

/**
 * What a test or the demo does to a running platform: seed products, place and read orders
 * through the HTTP API, and check the platform invariants once it is quiescent.
 */
export function openSession({ platform, postgresUrl, admin, credentials }: SessionOptions) {
  const { prefix } = platform;
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const database = platform.databases[name];
      if (!database) throw new Error(`the platform has no ${name} database`);
      return [name, databaseUrl(postgresUrl, database)];
    }),
  ) as Record<ServiceName, string>;
  const databases = connectPlatformDatabases(urls);
  const initialStock = new Map<string, number>();
  const orders = orderApi(platform.url('order'), credentials);
  const inventory = inventoryApi(platform.url('inventory'), credentials);

  /**
   * A PUT is idempotent, so one whose connection was lost is sent again: under the chaos harness
   * an instance may kill itself at a crash point from its first event on, and comes back on the
   * same port. An answer, even an unexpected one, is final.
   */
  async function putThroughRestarts(product: ProductSeed) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inventory.put(product);
      } catch (error) {
        if (error instanceof UnexpectedAnswer || attempt === SEED_ATTEMPTS) throw error;
        await sleep(Math.min(250 * attempt, 2_000));
      }
    }
  }

  return {
    orders,
    inventory,
    databases,
    initialStock: initialStock as ReadonlyMap<string, number>,

    /** PUTs the products and waits until order-service's replica knows them. */
    async seed(products: readonly ProductSeed[]) {
      for (const product of products) {
        await putThroughRestarts(product);
        initialStock.set(product.productId, product.stock);
      }
      await waitForCatalog(
        orders,
        products.map((product) => product.productId),
      );
    },

    /**
     * Waits (bounded) until nothing moves. A terminal order may still miss timeline entries of
     * facts its end did not need (COMPLETED needs only delivery.started): read it after this.
     */
    quiesce: () => waitForQuiescence(admin, prefix, databases),

    /** Waits for quiescence (bounded), then checks every invariant. */
    async checkInvariants(expectedDeadLetters = 0): Promise<InvariantReport> {
      const unsettled = await waitForQuiescence(admin, prefix, databases);
      const results = await checkInvariants({
        databases,
        initialStock,
        deadLetters: await countDeadLetters(admin, prefix),
        expectedDeadLetters,
      });
      return {
        results,
        unsettled,
        passed: unsettled.length === 0 && results.every((result) => result.passed),
      };
    },

    close: () => databases.close(),
  };
}

export type SagaSession = ReturnType<typeof openSession>;

/** The broken invariants with their counterexamples, for an assertion message. */
export function describeViolations(report: InvariantReport, shown = 10): string {
  const lines: string[] = [];
  if (report.unsettled.length > 0) {
    lines.push(`not quiescent: ${report.unsettled.join('; ')}`);
  }
  for (const result of report.results.filter((r) => !r.passed)) {
    lines.push(`invariant ${result.id} (${result.name}) broken:`);
    for (const example of result.counterexamples.slice(0, shown)) lines.push(`  - ${example}`);
    const more = result.counterexamples.length - shown;
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  return lines.join('\n');
}
