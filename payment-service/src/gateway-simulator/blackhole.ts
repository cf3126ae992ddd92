import type { Socket } from 'node:net';

/**
 * The sockets of requests the `blackhole` knob swallowed: accepted, never answered. They are
 * destroyed when the knob turns off or the server shuts down, so none outlives the episode and
 * closing the server does not wait for a caller's timeout.
 */
export class Blackhole {
  readonly #held = new Set<Socket>();

  constructor(shutdown: AbortSignal) {
    shutdown.addEventListener('abort', () => this.release(), { once: true });
  }

  swallow(socket: Socket): void {
    this.#held.add(socket);
    // A caller that gave up closed it already: forget it.
    socket.once('close', () => this.#held.delete(socket));
  }

  release(): void {
    for (const socket of this.#held) socket.destroy();
    this.#held.clear();
  }
}
