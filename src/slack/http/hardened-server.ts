import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../../logging/logger.js';
import { newRefId } from '../respond-error.js';

export type ListenOptions = { port: number; host?: string };

/** A client that has not sent its headers, or its whole body, by then is cut off (slow-drip connections). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Open connections per client address. Generous on purpose: behind a load balancer or proxy every request
 * comes from the proxy's address, and Slack itself sends from few addresses. It stops one client from
 * holding every socket the process has, not normal traffic (the benchmark runs 50 commands at once).
 */
export const MAX_CONNECTIONS_PER_CLIENT = 100;

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * The bot's only HTTP server, in both modes: `/healthz` and the other custom routes, then `handler` (Slack's
 * events endpoint in HTTP mode). Short header and body timeouts, a cap of connections per client address,
 * and an error that escapes a handler is logged with a reference id and answered 500: it never reaches the
 * process.
 */
export async function listenHardened(
  listen: ListenOptions,
  routes: readonly CustomRoute[],
  handler: Handler | undefined,
  logger: Logger,
): Promise<Server> {
  const perClient = new Map<string, number>();
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      const fail = (error: unknown) => {
        const refId = newRefId();
        logger.error('error escaped an HTTP request', { refId, url: req.url?.split('?')[0], error });
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`Internal error (reference ${refId})`);
        } else res.destroy();
      };
      // Node's requestTimeout does not cover a body that keeps dripping in: cut it off here.
      const bodyDeadline = setTimeout(() => {
        if (req.complete) return;
        logger.warn('request body too slow; connection closed', { timeoutMs: REQUEST_TIMEOUT_MS });
        req.socket.destroy();
      }, REQUEST_TIMEOUT_MS);
      bodyDeadline.unref();
      req.once('end', () => clearTimeout(bodyDeadline));
      req.once('close', () => clearTimeout(bodyDeadline));
      try {
        const route = matchRoute(routes, req);
        const done = route ? route.handler(req, res) : handler ? handler(req, res) : notFound(res);
        Promise.resolve(done).catch(fail);
      } catch (error) {
        fail(error);
      }
    },
  );
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (perClient.get(address) ?? 0) + 1;
    if (count > MAX_CONNECTIONS_PER_CLIENT) {
      logger.warn('too many connections from one client; refused', {
        address,
        limit: MAX_CONNECTIONS_PER_CLIENT,
      });
      socket.destroy();
      return;
    }
    perClient.set(address, count);
    socket.once('close', () => {
      const left = (perClient.get(address) ?? 1) - 1;
      if (left <= 0) perClient.delete(address);
      else perClient.set(address, left);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function boundPort(server: Server): number | undefined {
  const address = server.address() as AddressInfo | string | null;
  return typeof address === 'object' && address ? address.port : undefined;
}

function matchRoute(routes: readonly CustomRoute[], req: IncomingMessage): CustomRoute | undefined {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  return routes.find((r) => {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
    return r.path === path && methods.includes(method);
  });
}

function notFound(res: ServerResponse): void {
  res.writeHead(404);
  res.end();
}
