import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's side of Socket Mode, on the fake Slack's HTTP server (see the reference, slack-platform.md §1):
 * `apps.connections.open` hands out one-use tickets for `ws://…/socket-mode?ticket=…`; a connection gets
 * `hello`, then envelopes that the app acks with `{envelope_id, payload?}` within 3 s. Each envelope goes to
 * one connection (round robin over those not told to disconnect). `disconnect` messages warn a connection,
 * which Slack closes `closeAfterMs` later. Events API envelopes not acked in time are redelivered with a new
 * envelope id and `retry_attempt` + 1 (3 times, like Slack); slash commands and interactions are never
 * redelivered: a command sent while the app has no connection is lost, as it is in Slack.
 */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export type AckResult =
  | { status: 'acked'; envelopeId: string; payload?: unknown; ackMs: number; connection: number }
  | { status: 'no_connection' }
  | { status: 'timeout'; envelopeId: string; connection: number };

export type FakeSocketModeOptions = {
  /** How long the app has to ack (Slack: 3 s). */
  ackTimeoutMs?: number;
  /** Between a `disconnect` message and Slack closing the socket. */
  closeAfterMs?: number;
  /** Retries of an unacked Events API envelope, and the wait before each. */
  eventRetries?: number;
  eventRetryDelayMs?: number;
};

type Conn = { id: number; ws: WebSocket; leaving: boolean; openedAt: number };
type Pending = { resolve: (r: AckResult) => void; timer: NodeJS.Timeout; sentAt: number; connection: number };
type OpenFailure = { kind: 'http'; status: number } | { kind: 'ratelimited'; retryAfter: number };

export type FakeSocketMode = {
  readonly appToken: string;
  /** Connections open and not told to disconnect. */
  connectionCount(): number;
  /** Every `apps.connections.open` answered, failures included. */
  readonly openCalls: { at: number; outcome: 'ok' | 'failed' }[];
  /** Every envelope sent (redeliveries included). */
  readonly sent: { envelopeId: string; type: EnvelopeType; retryAttempt: number; connection: number }[];
  /** The next calls of `apps.connections.open` fail: HTTP statuses, or `ratelimited` (429 + Retry-After). */
  failOpen(failures: (number | 'ratelimited')[], retryAfterSeconds?: number): void;
  /** Delivers a slash command payload; resolves with the app's ack (or why there was none). */
  command(payload: Record<string, unknown>): Promise<AckResult>;
  /** Delivers an interactive payload (block_actions, view_submission, block_suggestion…). */
  interactive(payload: Record<string, unknown>): Promise<AckResult>;
  /** Delivers an Events API callback; redelivered while not acked. Resolves with the first ack. */
  event(event: Record<string, unknown>, opts?: { eventId?: string }): Promise<AckResult>;
  /** Sends the same Events API payload again as a redelivery (`retry_attempt`), as Slack does after a timeout. */
  redeliver(envelopeId: string): Promise<AckResult>;
  /** `disconnect` with `refresh_requested` (or `warning`) to one connection (the oldest), closed later. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): boolean;
  /** Drops a connection without a goodbye (no close frame): the TCP socket is destroyed. */
  drop(): boolean;
  /** Stops sending anything on one connection and stops answering its pings (a half-open socket). */
  freeze(): boolean;
  /** Handles an `apps.connections.open` call (wired into the fake Web API). */
  handleOpen(token: string | undefined): {
    status: number;
    body: Record<string, unknown>;
    headers?: Record<string, string>;
  };
  close(): Promise<void>;
};

export function attachFakeSocketMode(
  server: Server,
  baseWsUrl: string,
  opts: FakeSocketModeOptions = {},
): FakeSocketMode {
  const appToken = 'xapp-1-fake-socket-mode';
  const ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
  const closeAfterMs = opts.closeAfterMs ?? 1000;
  const eventRetries = opts.eventRetries ?? 3;
  const eventRetryDelayMs = opts.eventRetryDelayMs ?? 200;
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const conns: Conn[] = [];
  const pending = new Map<string, Pending>();
  const payloads = new Map<string, { type: EnvelopeType; payload: unknown; retryAttempt: number }>();
  const openCalls: FakeSocketMode['openCalls'] = [];
  const sent: FakeSocketMode['sent'] = [];
  const openFailures: OpenFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextConn = 1;
  let rr = 0;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/socket-mode') return;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { id: nextConn++, ws, leaving: false, openedAt: Date.now() };
      conns.push(conn);
      ws.on('message', (data) => onAck(conn, data.toString()));
      ws.on('close', () => forget(conn));
      ws.on('error', () => forget(conn));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: live().length,
          debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0FAKEAPP0' },
        }),
      );
    });
  };
  server.on('upgrade', onUpgrade);

  function live(): Conn[] {
    return conns.filter((c) => !c.leaving && c.ws.readyState === c.ws.OPEN);
  }

  function forget(conn: Conn) {
    const i = conns.indexOf(conn);
    if (i >= 0) conns.splice(i, 1);
  }

  function onAck(conn: Conn, text: string) {
    let msg: { envelope_id?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.envelope_id !== 'string') return;
    const waiting = pending.get(msg.envelope_id);
    if (!waiting || waiting.connection !== conn.id) return; // an ack on another socket is not an ack
    pending.delete(msg.envelope_id);
    clearTimeout(waiting.timer);
    timers.delete(waiting.timer);
    const payload = msg.payload;
    const empty =
      payload === undefined ||
      (typeof payload === 'object' && payload !== null && Object.keys(payload).length === 0);
    waiting.resolve({
      status: 'acked',
      envelopeId: msg.envelope_id,
      ...(empty ? {} : { payload }),
      ackMs: Date.now() - waiting.sentAt,
      connection: conn.id,
    });
  }

  function deliver(type: EnvelopeType, payload: unknown, retryAttempt: number): Promise<AckResult> {
    const targets = live();
    if (targets.length === 0) return Promise.resolve({ status: 'no_connection' });
    const conn = targets[rr++ % targets.length] as Conn;
    const envelopeId = randomBytes(12).toString('hex');
    payloads.set(envelopeId, { type, payload, retryAttempt });
    sent.push({ envelopeId, type, retryAttempt, connection: conn.id });
    return new Promise<AckResult>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        pending.delete(envelopeId);
        resolve({ status: 'timeout', envelopeId, connection: conn.id });
      }, ackTimeoutMs);
      timers.add(timer);
      pending.set(envelopeId, { resolve, timer, sentAt: Date.now(), connection: conn.id });
      conn.ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...(type === 'events_api'
            ? { retry_attempt: retryAttempt, retry_reason: retryAttempt > 0 ? 'timeout' : '' }
            : {}),
        }),
      );
    });
  }

  /** Events API: Slack keeps trying while nobody acks (or nobody is connected). */
  async function deliverEvent(payload: unknown, attempt: number): Promise<AckResult> {
    const result = await deliver('events_api', payload, attempt);
    if (result.status === 'acked' || attempt >= eventRetries) return result;
    await new Promise<void>((r) => later(eventRetryDelayMs, r));
    return deliverEvent(payload, attempt + 1);
  }

  function pick(predicate: (c: Conn) => boolean): Conn | undefined {
    return [...conns].sort((a, b) => a.openedAt - b.openedAt).find(predicate);
  }

  return {
    appToken,
    connectionCount: () => live().length,
    openCalls,
    sent,
    failOpen(failures, retryAfterSeconds = 1) {
      for (const f of failures) {
        openFailures.push(
          f === 'ratelimited'
            ? { kind: 'ratelimited', retryAfter: retryAfterSeconds }
            : { kind: 'http', status: f },
        );
      }
    },
    handleOpen(token) {
      if (token === undefined) return { status: 200, body: { ok: false, error: 'not_authed' } };
      if (token.startsWith('xoxb-'))
        return { status: 200, body: { ok: false, error: 'not_allowed_token_type' } };
      if (token !== appToken) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
      const failure = openFailures.shift();
      if (failure) {
        openCalls.push({ at: Date.now(), outcome: 'failed' });
        return failure.kind === 'ratelimited'
          ? {
              status: 429,
              body: { ok: false, error: 'ratelimited' },
              headers: { 'retry-after': String(failure.retryAfter) },
            }
          : { status: failure.status, body: { ok: false, error: 'service_unavailable' } };
      }
      openCalls.push({ at: Date.now(), outcome: 'ok' });
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      return { status: 200, body: { ok: true, url: `${baseWsUrl}/socket-mode?ticket=${ticket}` } };
    },
    command: (payload) => deliver('slash_commands', payload, 0),
    interactive: (payload) => deliver('interactive', payload, 0),
    event(event, o = {}) {
      const eventId = o.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
      return deliverEvent(
        {
          token: 'fake-verification-token',
          team_id: 'T0FAKETEAM',
          api_app_id: 'A0FAKEAPP0',
          type: 'event_callback',
          event_id: eventId,
          event_time: Math.floor(Date.now() / 1000),
          event,
        },
        0,
      );
    },
    redeliver(envelopeId) {
      const original = payloads.get(envelopeId);
      if (!original) throw new Error(`fake-socket-mode: no envelope ${envelopeId}`);
      return deliver(original.type, original.payload, original.retryAttempt + 1);
    },
    disconnect(reason = 'refresh_requested') {
      const conn = pick((c) => !c.leaving);
      if (!conn) return false;
      conn.leaving = true;
      conn.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-socket-mode' } }));
      later(closeAfterMs, () => conn.ws.close(1000, 'refresh'));
      return true;
    },
    drop() {
      const conn = pick((c) => !c.leaving);
      if (!conn) return false;
      conn.leaving = true;
      conn.ws.terminate();
      return true;
    },
    freeze() {
      const conn = pick((c) => !c.leaving);
      if (!conn) return false;
      conn.leaving = true;
      // ws answers pings on its own; pausing the underlying socket stops that (and everything else).
      (conn.ws as unknown as { _socket?: { pause(): void } })._socket?.pause();
      return true;
    },
    async close() {
      server.off('upgrade', onUpgrade);
      for (const t of timers) clearTimeout(t);
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
