import { setTimeout as sleep } from 'node:timers/promises';
import type { TcpProxy } from '../tcp-proxy.js';
import type { FaultContext } from './fault.js';
import { schedule } from './fault.js';

/** Cuts `proxy` `count` times for a random while each, restoring it after every cut. */
export async function cutRepeatedly(
  context: FaultContext,
  proxy: TcpProxy,
  what: string,
  count: number,
  [minMs, maxMs]: [number, number],
): Promise<void> {
  for (const atMs of schedule(context, count, maxMs + 2_000)) {
    await context.at(atMs);
    if (context.signal.aborted) return;
    const downMs = context.random.int(minMs, maxMs);
    const open = proxy.connections();
    proxy.cut();
    context.record(`${what} cut for ${downMs} ms (${open} connections reset)`);
    try {
      await sleep(downMs);
    } finally {
      proxy.restore();
    }
    context.record(`${what} restored`);
  }
}
