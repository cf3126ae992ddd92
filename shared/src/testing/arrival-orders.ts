/** Every order of `count` items, as lists of their indexes. */
function allOrders(count: number): number[][] {
  if (count === 0) return [[]];
  return allOrders(count - 1).flatMap((order) =>
    Array.from({ length: count }, (_, at) => [
      ...order.slice(0, at),
      count - 1,
      ...order.slice(at),
    ]),
  );
}

/** A small deterministic generator, so a failing order is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * The arrival orders to try for `count` events: all of them when there are at most `limit`,
 * else the given order, its reverse and seeded shuffles up to `limit`.
 */
export function arrivalOrders(count: number, limit = 24, seed = 1): number[][] {
  const identity = Array.from({ length: count }, (_, at) => at);
  const permutations = identity.reduce((product, at) => product * (at + 1), 1);
  if (permutations <= limit) return allOrders(count);
  const random = seededRandom(seed);
  const orders = [identity, [...identity].reverse()];
  while (orders.length < limit) {
    const order = [...identity];
    for (let at = order.length - 1; at > 0; at--) {
      const other = Math.floor(random() * (at + 1));
      [order[at], order[other]] = [order[other]!, order[at]!];
    }
    orders.push(order);
  }
  return orders;
}
