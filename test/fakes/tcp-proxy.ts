import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL in the process tests), that a test can
 * cut to make the server unreachable as if it had stopped: every open connection is reset and new ones
 * are refused. `restore()` listens again on the same port. Nothing else about the server is faked.
 */
export type TcpProxy = {
  readonly port: number;
  /** Connections reset, new ones refused (ECONNREFUSED), like a stopped server. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const serve = (): Server =>
    createServer((client) => {
      track(client);
      const upstream = connect(target.port, target.host);
      track(upstream);
      client.pipe(upstream).pipe(client);
    });
  let server = serve();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  let listening = true;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const socket of sockets) socket.resetAndDestroy();
    });
  return {
    port,
    cut: stopListening,
    async restore() {
      if (listening) return;
      server = serve();
      await listen(port);
      listening = true;
    },
    close: stopListening,
  };
}
