import { channel } from 'node:diagnostics_channel';
import { webSocketParts } from '../../util/undici-runtime.js';

/** One message from Slack that carries work (Socket Mode reference §1). */
export type Envelope = {
  envelope_id: string;
  type: string;
  payload: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
};

export type ConnectionHandlers = {
  /** Slack said `hello`: the connection may receive envelopes now. */
  onHello(): void;
  /** Slack warned that it will close this connection soon (`warning`, `refresh_requested`, …). */
  onDisconnectWarning(reason: string): void;
  onEnvelope(envelope: Envelope): void;
  /** Called once, however the connection ended (closed by Slack, dropped, dead by missing pongs, closed by us). */
  onClosed(why: string): void;
};

export type SocketConnection = {
  readonly id: string;
  /** Sends an ack; false when the connection is no longer open (the ack is then lost, as Slack would see it). */
  send(message: object): boolean;
  close(why: string): void;
};

// undici reports pongs on a process-wide diagnostics channel; each connection filters its own.
const pongChannel = channel('undici:websocket:pong');

let counter = 0;

/**
 * A Socket Mode WebSocket (undici's, the same the official client uses), with liveness: a ping every
 * `pingIntervalMs`, and a connection that answered none of the last `maxMissedPongs` pings counts as dead
 * and is closed here, since a half-open TCP connection may never report its own end.
 */
export function openSocketConnection(
  url: string,
  handlers: ConnectionHandlers,
  opts: { pingIntervalMs?: number; maxMissedPongs?: number } = {},
): SocketConnection {
  const id = `c${++counter}`;
  const pingIntervalMs = opts.pingIntervalMs ?? 5_000;
  const maxMissed = opts.maxMissedPongs ?? 3;
  const { WebSocket, ping } = webSocketParts();
  const ws = new WebSocket(url);
  let ended = false;
  let missed = 0;
  let timer: NodeJS.Timeout | undefined;

  const onPong = (message: unknown) => {
    if ((message as { websocket?: unknown }).websocket === ws) missed = 0;
  };
  const end = (why: string) => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    pongChannel.unsubscribe(onPong);
    try {
      ws.close();
    } catch {
      // Already closing.
    }
    handlers.onClosed(why);
  };

  ws.addEventListener('open', () => {
    pongChannel.subscribe(onPong);
    timer = setInterval(() => {
      if (missed >= maxMissed) return end('no pong from Slack');
      missed += 1;
      try {
        ping(ws, Buffer.from('ping'));
      } catch {
        end('ping failed');
      }
    }, pingIntervalMs);
    timer.unref();
  });
  ws.addEventListener('message', (event) => {
    if (ended || typeof event.data !== 'string') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(event.data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'hello') return handlers.onHello();
    if (message.type === 'disconnect')
      return handlers.onDisconnectWarning(String(message.reason ?? 'unknown'));
    if (typeof message.envelope_id === 'string') handlers.onEnvelope(message as unknown as Envelope);
  });
  ws.addEventListener('error', () => end('socket error'));
  ws.addEventListener('close', (event) => end(`closed (${event.code})`));

  return {
    id,
    send(message) {
      if (ended || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(message));
      return true;
    },
    close: (why) => end(why),
  };
}
