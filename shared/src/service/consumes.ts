import type { Handlers } from '../consumer/index.js';
import type { Topic } from '../events/index.js';

/**
 * A service's manifest says what it consumes without starting it (the tools and the end-to-end
 * harness read it there): its handlers must be exactly that, or the manifest would lie.
 */
export function assertHandlesWhatItConsumes(
  service: string,
  consumes: readonly Topic[],
  handlers: Handlers = {},
): void {
  const declared = [...consumes].sort();
  const handled = Object.keys(handlers).sort();
  if (declared.join() !== handled.join()) {
    throw new Error(
      `${service} consumes [${declared.join(', ')}] by its manifest but handles [${handled.join(', ')}]`,
    );
  }
}
