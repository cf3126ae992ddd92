import { setTimeout as sleep } from 'node:timers/promises';
import { gatewayApi } from '../../saga/api.js';
import type { FaultContext } from './fault.js';

/** Sets the gateway simulator's failure knobs (`PUT /admin/config`). */
export function setGatewayKnobs(context: FaultContext, knobs: Record<string, unknown>) {
  return gatewayApi(context.cluster.platform.gateway.url).configure(knobs);
}

/** Turns knobs on at a random time for a random while, then back to `restore`. */
export async function gatewayEpisode(
  context: FaultContext,
  on: Record<string, unknown>,
  restore: Record<string, unknown>,
  [minMs, maxMs]: [number, number],
) {
  const startMs = Math.round(context.loadMs * (0.15 + context.random.next() * 0.35));
  const lastsMs = context.random.int(minMs, maxMs);
  await context.at(startMs);
  if (context.signal.aborted) return;
  await setGatewayKnobs(context, on);
  context.record(`gateway ${JSON.stringify(on)} for ${lastsMs} ms`);
  try {
    await sleep(lastsMs);
  } finally {
    await setGatewayKnobs(context, restore);
  }
  context.record(`gateway ${JSON.stringify(restore)}`);
}
