import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** How a socket ended: `closed` or `error <code>`. */
function ending(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    socket.once('close', () => resolve('closed'));
  });
}

/** Connects through the proxy, writes `text`, resolves with the answer or with how it ended. */
function exchange(port: number, text: string, keep?: (socket: Socket) => void): Promise<string> {
  const socket = connect(port, '127.0.0.1', () => socket.write(text));
  keep?.(socket);
  return Promise.race([once(socket, 'data').then(([data]) => String(data)), ending(socket)]).catch(
    (error: NodeJS.ErrnoException) => `error ${error.code}`,
  );
}

describe('tcp proxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  const sockets: Socket[] = [];
  const keep = (socket: Socket) => sockets.push(socket);

  before(async () => {
    // Echoes, except `bye`, on which it closes the connection itself.
    echo = createServer((socket) => {
      socket.on('error', () => {}); // a cut resets the proxy's side too
      socket.on('data', (data) => (data.toString() === 'bye' ? socket.end() : socket.write(data)));
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const address = echo.address();
    assert.ok(typeof address === 'object' && address);
    proxy = await startTcpProxy({ host: '127.0.0.1', port: address.port });
  });

  after(async () => {
    for (const socket of sockets) socket.destroy();
    await proxy.close();
    echo.close();
  });

  it('pipes bytes both ways to the target', async () => {
    assert.equal(await exchange(proxy.port, 'ping', keep), 'ping');
    assert.equal(proxy.connections(), 1);
  });

  it('resets open connections on a cut and refuses new ones until restored', async () => {
    let open: Socket | undefined;
    assert.equal(
      await exchange(proxy.port, 'before', (socket) => {
        open = socket;
      }),
      'before',
    );
    const ended = ending(open!);
    proxy.cut();
    assert.match(await ended, /^(error ECONNRESET|closed)$/);
    assert.equal(proxy.connections(), 0);

    assert.match(await exchange(proxy.port, 'during'), /^(error ECONNRESET|closed)$/);
    assert.equal(proxy.connections(), 0);

    proxy.restore();
    assert.equal(await exchange(proxy.port, 'after', keep), 'after');
  });

  it('closes the client side when the target closes the connection', async () => {
    const before = proxy.connections();
    assert.equal(await exchange(proxy.port, 'bye'), 'closed');
    assert.equal(proxy.connections(), before);
  });
});
