import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@saga/shared/logger';
import { createApp } from './app.js';
import { Gateway } from './gateway.js';
import { createKnobs, type KnobSettings } from './knobs.js';

export interface GatewayServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  knobs: KnobSettings;
  logger: Logger;
}

export interface GatewayServer {
  url: string;
  /** Stops accepting connections, cuts held requests short and waits for in-flight ones. */
  close(): Promise<void>;
}

/** Starts a simulator with empty state; `main.ts` runs one, tests start their own. */
export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const shutdown = new AbortController();
  const gateway = new Gateway(createKnobs(options.knobs), options.logger);
  const server = createServer(
    createApp({ gateway, logger: options.logger, signal: shutdown.signal }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close() {
      shutdown.abort();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
