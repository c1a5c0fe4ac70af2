import type { Server, ServerResponse } from 'node:http';
import type { App, Logger as BoltLogger, CustomRoute, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../logging/logger.js';
import { HTTPModuleFunctions, HTTPResponseAck } from '../bolt-runtime.js';
import { type ListenOptions, listenHardened } from './hardened-server.js';
import { readSlackRequest, type SlackRequest } from './slack-request.js';

const EVENTS_PATH = '/slack/events';

/**
 * HTTP mode: Slack's events endpoint, behind the hardened server (timeouts, connections per client, errors
 * contained). What Bolt's HTTPReceiver does there, with its own parts for the acknowledgement (its
 * HTTPResponseAck: one ack, "not acknowledged within 3 seconds" after 3 s, the ack's body as the response)
 * and for errors that escape a listener; the request is read, verified and parsed in one pass
 * (`readSlackRequest`: Bolt read the body three times and checked the signature with three HMACs).
 */
export class HardenedHttpReceiver implements Receiver {
  private app: App | undefined;
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
    if (!deps.signingSecret) throw new Error('HTTP mode needs the signing secret (SLACK_SIGNING_SECRET)');
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<Server> {
    this.server = await listenHardened(
      this.deps.listen,
      this.deps.routes,
      async (req, res) => {
        // Only Slack's endpoint, and only POST: anything else is a plain 404 (a scanner's probe).
        if (new URL(req.url ?? '/', 'http://localhost').pathname !== EVENTS_PATH || req.method !== 'POST') {
          req.resume();
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('not found');
          return;
        }
        const read = await readSlackRequest(req, this.deps.signingSecret, Date.now());
        await this.answer(read, res);
      },
      this.deps.logger,
    );
    return this.server;
  }

  private async answer(read: SlackRequest, res: ServerResponse): Promise<void> {
    if (read.kind === 'refused') {
      this.deps.logger.warn('Slack request refused', { status: read.status, reason: read.reason });
      res.writeHead(read.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(read.reason);
      return;
    }
    if (read.kind === 'ssl_check') return HTTPModuleFunctions.buildSSLCheckResponse(res);
    const { body, request } = read;
    if (body.type === 'url_verification') return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
    const ack = new HTTPResponseAck({
      logger: this.deps.boltLogger,
      processBeforeResponse: false,
      httpRequest: request,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
      customProperties: {},
    };
    try {
      await this.app?.processEvent(event);
    } catch (error) {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger: this.deps.boltLogger,
        request,
        response: res,
        storedResponse: undefined,
      });
      if (acknowledged) ack.ack();
    }
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
