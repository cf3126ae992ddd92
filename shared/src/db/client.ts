import type { Writable } from 'node:stream';
import { PreparingClient } from './prepared-statements.js';

/**
 * The platform's PostgreSQL connection: it prepares the statements it runs repeatedly (see
 * PreparingClient), and the statements it is given in one turn of the event loop leave in one
 * write. pg writes each statement on its own, and every write costs a system call here and a
 * wake-up of the server's process: a transaction's BEGIN with its first statement, or the
 * statements of several events applied together (see consumer/apply.ts), now cost one.
 *
 * The socket is held (corked) from the first statement of a turn until the turn ends
 * (setImmediate), so a statement waits at most for the rest of the turn. The socket is
 * `connection.stream`, an internal of pg's client that pg itself corks around each statement.
 */
export class PlatformClient extends PreparingClient {
  #holding = false;

  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is a set of overloads.
  override query(...args: any[]): any {
    if (!this.#holding) {
      const socket = (this as unknown as { connection: { stream: Writable } }).connection.stream;
      this.#holding = true;
      socket.cork();
      setImmediate(() => {
        this.#holding = false;
        socket.uncork();
      });
    }
    return super.query(...args);
  }
}
