import type { Server } from 'node:http';
import type { App, CustomRoute, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../logging/logger.js';
import { type ListenOptions, listenHardened } from '../http/hardened-server.js';
import { newRefId } from '../respond-error.js';
import type { PacerClock } from '../web-api/pacer-clock.js';
import type { ConnectionState } from './connection-state.js';
import type { Envelope, SocketConnection } from './socket-connection.js';
import { createSocketSlot } from './socket-slot.js';
import type { SocketUrlSource } from './socket-url-source.js';

export type SocketModeReceiverDeps = {
  urls: SocketUrlSource;
  state: ConnectionState;
  logger: Logger;
  clock: PacerClock;
  /** SOCKET_CONNECTIONS: connections kept open at once, so a refresh or a drop never leaves none. */
  connections: number;
  /** `/healthz` and friends, served on PORT (and HOST) next to the sockets. */
  routes: CustomRoute[];
  listen: ListenOptions;
  pingIntervalMs?: number;
};

/**
 * Bolt's receiver for Socket Mode, in place of Bolt's own SocketModeReceiver. Why not that one: it keeps a
 * single connection that closes at once on a `disconnect` and reconnects 5 s later (no connection meanwhile),
 * inherits the bot's short retry budget for `apps.connections.open` and lets the final error end the process,
 * and its HTTP server ignores HOST. Here several slots each keep a connection (make before break), the URL
 * source retries forever, and an error while handling an envelope is logged, never thrown.
 */
export class SocketModeConnections implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly slots: ReturnType<typeof createSocketSlot>[] = [];
  private everConnected = false;
  /** Envelopes received whose ack has not gone out yet. */
  private unacked = 0;

  constructor(private readonly deps: SocketModeReceiverDeps) {}

  init(app: App): void {
    this.app = app;
  }

  /** Serves the routes, opens the connections, resolves with the HTTP server once one connection is open. */
  async start(): Promise<Server> {
    this.server = await listenHardened(this.deps.listen, this.deps.routes, undefined, this.deps.logger);
    const first = new Promise<void>((resolve, reject) => {
      for (let i = 0; i < Math.max(1, this.deps.connections); i++) {
        const slot = createSocketSlot(`s${i + 1}`, {
          urls: this.deps.urls,
          state: this.deps.state,
          logger: this.deps.logger,
          clock: this.deps.clock,
          ...(this.deps.pingIntervalMs === undefined ? {} : { pingIntervalMs: this.deps.pingIntervalMs }),
          everConnected: () => this.everConnected,
          onEnvelope: (envelope, conn) => void this.handle(envelope, conn),
          onFirstResult: (result) => {
            if (result.ok) {
              this.everConnected = true;
              resolve();
            } else reject(result.error);
          },
        });
        this.slots.push(slot);
        slot.start();
      }
    });
    try {
      await first;
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this.server;
  }

  /**
   * First step of a graceful stop: the connections close (once the acks still owed are sent, at most
   * `graceMs`), so that Slack hands new work to the other connections of other replicas instead of to a
   * process that would only refuse it. The work already acked drains afterwards; the HTTP routes stay up.
   */
  async stopReceiving(graceMs = 3_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.unacked > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const slot of this.slots.splice(0)) slot.stop();
  }

  async stop(): Promise<void> {
    for (const slot of this.slots.splice(0)) slot.stop();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  private async handle(envelope: Envelope, conn: SocketConnection): Promise<void> {
    let acked = false;
    this.unacked += 1;
    const settle = () => {
      if (!acked) this.unacked -= 1;
      acked = true;
    };
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) {
        this.deps.logger.warn('ack() called twice for one Socket Mode envelope', { type: envelope.type });
        return;
      }
      settle();
      const payload = typeof response === 'string' ? { text: response } : (response ?? {});
      if (!conn.send({ envelope_id: envelope.envelope_id, payload })) {
        this.deps.logger.warn('Socket Mode ack not sent: the connection had closed', { type: envelope.type });
      }
    };
    const event: ReceiverEvent = {
      body: (envelope.payload ?? {}) as ReceiverEvent['body'],
      ack,
      ...(envelope.retry_attempt ? { retryNum: envelope.retry_attempt } : {}),
      ...(envelope.retry_reason ? { retryReason: envelope.retry_reason } : {}),
      customProperties: {},
    };
    try {
      if (
        typeof envelope.payload !== 'object' ||
        envelope.payload === null ||
        Array.isArray(envelope.payload)
      ) {
        throw new Error(`Socket Mode envelope of type ${envelope.type} without an object payload`);
      }
      await this.app?.processEvent(event);
    } catch (error) {
      const refId = newRefId();
      this.deps.logger.error('error while handling a Socket Mode envelope', {
        refId,
        type: envelope.type,
        error,
      });
      // Acked anyway: an event Slack redelivers would fail the same way again.
      if (!acked && envelope.type === 'events_api') await ack();
    } finally {
      settle();
    }
  }
}
