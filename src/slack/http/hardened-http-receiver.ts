import type { Server } from 'node:http';
import type { App, Logger as BoltLogger, CustomRoute, Receiver } from '@slack/bolt';
import type { Logger } from '../../logging/logger.js';
import { HTTPReceiver } from '../bolt-runtime.js';
import { type ListenOptions, listenHardened } from './hardened-server.js';
import { guardSlackRequest, refuse } from './slack-request-guard.js';

const EVENTS_PATH = '/slack/events';

/**
 * HTTP mode: Bolt's HTTPReceiver does the Slack side (signatures, acks, the 3-second timer), but never
 * listens itself. Requests reach it through the hardened server (timeouts, connections per client, errors
 * contained) and the guard (future timestamps, payloads that are not objects).
 */
export class HardenedHttpReceiver implements Receiver {
  private readonly inner: HTTPReceiver;
  private server: Server | undefined;

  constructor(
    private readonly deps: {
      signingSecret: string;
      routes: CustomRoute[];
      listen: ListenOptions;
      logger: Logger;
      boltLogger: BoltLogger;
    },
  ) {
    this.inner = new HTTPReceiver({
      signingSecret: deps.signingSecret,
      endpoints: EVENTS_PATH,
      processBeforeResponse: false,
      logger: deps.boltLogger,
    });
  }

  init(app: App): void {
    this.inner.init(app);
  }

  async start(): Promise<Server> {
    const { signingSecret, logger } = this.deps;
    this.server = await listenHardened(
      this.deps.listen,
      this.deps.routes,
      async (req, res) => {
        // Only Slack's endpoint reaches Bolt: for any other path Bolt throws (a scanner's probe would be
        // logged as an error); here it is a plain 404.
        if (new URL(req.url ?? '/', 'http://localhost').pathname !== EVENTS_PATH) {
          req.resume();
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('not found');
          return;
        }
        if (req.method === 'POST') {
          const outcome = await guardSlackRequest(req, signingSecret, Date.now());
          if (!outcome.pass) return refuse(res, outcome, logger);
        }
        await this.inner.requestListener(req, res);
      },
      logger,
    );
    return this.server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
