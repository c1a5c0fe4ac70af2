import type { Logger } from '../../logging/logger.js';
import type { PacerClock } from '../web-api/pacer-clock.js';
import type { ConnectionState } from './connection-state.js';
import { type Envelope, openSocketConnection, type SocketConnection } from './socket-connection.js';
import type { SocketUrlSource } from './socket-url-source.js';

/** How long an old connection stays open after its replacement said hello, for acks still in flight. */
const HANDOVER_GRACE_MS = 3_500;

export type SlotDeps = {
  urls: SocketUrlSource;
  state: ConnectionState;
  logger: Logger;
  clock: PacerClock;
  onEnvelope(envelope: Envelope, connection: SocketConnection): void;
  pingIntervalMs?: number;
  /** Set once any connection of the process said hello (a token refused after that is retried). */
  everConnected: () => boolean;
  /** The first hello of this slot, or the token error that stops the start. */
  onFirstResult(result: { ok: true } | { ok: false; error: unknown }): void;
};

/**
 * One of SOCKET_CONNECTIONS places for a connection, kept filled for as long as the process runs.
 * Make before break: on Slack's `disconnect` warning a replacement is opened while the old connection still
 * receives and acks; the old one is closed once the new one is up (or by Slack). A connection that ends in any
 * other way is replaced at once, then with growing pauses while new ones keep failing.
 */
export function createSocketSlot(name: string, deps: SlotDeps) {
  let current: SocketConnection | undefined;
  let connecting = false;
  let stopped = false;
  let failuresInARow = 0;
  const leaving = new Set<SocketConnection>();

  async function connect(): Promise<void> {
    if (connecting || stopped) return;
    connecting = true;
    try {
      if (failuresInARow > 0) await deps.clock.sleep(Math.min(30_000, 500 * 2 ** (failuresInARow - 1)));
      const url = await deps.urls.next({ everConnected: deps.everConnected(), stopped: () => stopped });
      if (!url || stopped) return;
      open(url);
    } catch (error) {
      deps.onFirstResult({ ok: false, error });
    } finally {
      connecting = false;
    }
  }

  function open(url: string): void {
    let hello = false;
    const conn: SocketConnection = openSocketConnection(
      url,
      {
        onHello() {
          hello = true;
          failuresInARow = 0;
          deps.state.opened(conn.id);
          const previous = current;
          current = conn;
          deps.logger.info('Socket Mode connection open', { slot: name, connection: conn.id });
          deps.onFirstResult({ ok: true });
          if (previous && previous !== conn) retire(previous, 'replaced');
          for (const old of leaving) {
            if (old !== conn) setTimeout(() => old.close('replaced'), HANDOVER_GRACE_MS).unref();
          }
        },
        onDisconnectWarning(reason) {
          deps.logger.info('Slack will close a Socket Mode connection; opening its replacement first', {
            slot: name,
            connection: conn.id,
            reason,
          });
          leaving.add(conn);
          if (current === conn) current = undefined;
          void connect();
        },
        onEnvelope: (envelope) => deps.onEnvelope(envelope, conn),
        onClosed(why) {
          deps.state.closed(conn.id);
          leaving.delete(conn);
          if (stopped) return;
          if (!hello) failuresInARow += 1;
          if (current === conn || !hello) {
            if (current === conn) current = undefined;
            deps.logger.warn('Socket Mode connection ended; reconnecting', {
              slot: name,
              connection: conn.id,
              why,
            });
            void connect();
          }
        },
      },
      deps.pingIntervalMs === undefined ? {} : { pingIntervalMs: deps.pingIntervalMs },
    );
  }

  function retire(conn: SocketConnection, why: string) {
    leaving.add(conn);
    setTimeout(() => conn.close(why), HANDOVER_GRACE_MS).unref();
  }

  return {
    start: () => void connect(),
    stop() {
      stopped = true;
      current?.close('stopping');
      for (const old of leaving) old.close('stopping');
      leaving.clear();
      current = undefined;
    },
  };
}
