// TCP probes: is something listening, and which port can a private server take.
import { connect, createServer } from 'node:net';
import { StackError } from './errors.ts';

export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port the OS considers free right now (bind to 0, read it back, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Fails with the fix when a port the stack needs is taken by a process it did not start. */
export async function assertPortFree(port: number, component: string, envVar: string) {
  if (!(await isListening(port))) return;
  throw new StackError(
    `Port ${port} on 127.0.0.1, needed by ${component}, is in use by a process this stack did not ` +
      `start. Stop that process (find it with \`ss -ltnp 'sport = :${port}'\`), or pick another ` +
      `port with ${envVar}=<port> and run \`npm run stack -- up\` again.`,
  );
}
