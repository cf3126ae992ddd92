import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The local port clients connect to instead of the target. */
  port: number;
  /** Destroys every open connection and refuses new ones (each is reset at once) until `restore`. */
  cut(): void;
  restore(): void;
  /** Connections currently piped through. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 the chaos harness controls: services connect to it instead of
 * PostgreSQL or Redis, so a cut looks like a network failure to them while the server stays up.
 * New connections are accepted and reset during a cut rather than the port closed, so nothing
 * else can take the port meanwhile.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = pipeTo(client, target);
    open.add(client);
    open.add(upstream);
    clients.add(client);
    const forget = () => {
      open.delete(client);
      open.delete(upstream);
      clients.delete(client);
    };
    client.once('close', forget);
    upstream.once('close', forget);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy bound no port');
  return {
    port: address.port,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
      clients.clear();
    },
    restore() {
      down = false;
    },
    connections: () => clients.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pipes `client` both ways to a fresh connection to the target; either end closing closes both. */
function pipeTo(client: Socket, target: { host: string; port: number }): Socket {
  const upstream = connect(target.port, target.host);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  return upstream;
}
