import type { Redis, Result } from 'ioredis';

/**
 * Takes a hold for every line of an order at once, or none: each counter must exist and cover
 * its line. A second call for the same order takes nothing (it was held already).
 * KEYS: hold of the order, expiries, then one counter per line.
 * ARGV: order id, expiry (epoch ms), then product id and quantity per line.
 * Answers `held`, `held-before`, or `sold-out`/`unknown` with the product id.
 */
const HOLD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'held-before'} end
local lines = #KEYS - 2
for i = 1, lines do
  local left = redis.call('GET', KEYS[2 + i])
  if not left then return {'unknown', ARGV[1 + 2 * i]} end
  if tonumber(left) < tonumber(ARGV[2 + 2 * i]) then return {'sold-out', ARGV[1 + 2 * i]} end
end
for i = 1, lines do
  redis.call('DECRBY', KEYS[2 + i], ARGV[2 + 2 * i])
  redis.call('HSET', KEYS[1], ARGV[1 + 2 * i], ARGV[2 + 2 * i])
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return {'held'}`;

/**
 * Ends an order's hold: with ARGV restore = 1 its units go back to their counters (a counter
 * that is gone stays gone: the next order re-seeds it from PostgreSQL, which knows better).
 * Counter keys are built here from ARGV's prefix, as the hold names its products; they share
 * the hold's hash tag, so they live on its slot.
 * KEYS: hold of the order, expiries. ARGV: order id, restore (1 or 0), counter key prefix.
 * Answers 1 if there was a hold, 0 if not (already ended, or never taken).
 */
const END = `
local held = redis.call('HGETALL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if #held == 0 then return 0 end
if ARGV[2] == '1' then
  for i = 1, #held, 2 do
    local counter = ARGV[3] .. held[i]
    if redis.call('EXISTS', counter) == 1 then redis.call('INCRBY', counter, held[i + 1]) end
  end
end
redis.call('DEL', KEYS[1])
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    hotDealHold(
      numberOfKeys: number,
      ...keysThenArgs: (string | number)[]
    ): Result<[string, string?], Context>;
    hotDealEnd(
      holdKey: string,
      expiriesKey: string,
      orderId: string,
      restore: 0 | 1,
      counterPrefix: string,
    ): Result<number, Context>;
  }
}

/** Teaches `redis` the gate's scripts (sent once, then run by their SHA). */
export function defineHotDealScripts(redis: Redis): void {
  redis.defineCommand('hotDealHold', { lua: HOLD });
  redis.defineCommand('hotDealEnd', { lua: END, numberOfKeys: 2 });
}
