/**
 * Whether the process can hear from Slack: in Socket Mode, how many connections are open and since when
 * there has been none. `/healthz` (and the readiness check) read it; the Socket Mode receiver writes it.
 * In HTTP mode nothing writes it and it always reports ready (Slack reaches us, not the other way round).
 */
export type ConnectionReport = {
  mode: 'socket' | 'http';
  openConnections: number;
  /** 0 while a connection is open; otherwise how long there has been none (since the start if never). */
  msWithoutConnection: number;
  ready: boolean;
};

export type ConnectionState = {
  opened(connectionId: string): void;
  closed(connectionId: string): void;
  report(): ConnectionReport;
};

/** After this long without any connection the process says it is not ready. */
export const NO_CONNECTION_READY_LIMIT_MS = 10_000;

export function createConnectionState(
  mode: 'socket' | 'http',
  opts: { now?: () => number; readyLimitMs?: number } = {},
): ConnectionState {
  const now = opts.now ?? Date.now;
  const limit = opts.readyLimitMs ?? NO_CONNECTION_READY_LIMIT_MS;
  const open = new Set<string>();
  let lastOpenAt = now();
  return {
    opened(id) {
      open.add(id);
      lastOpenAt = now();
    },
    closed(id) {
      if (open.delete(id) && open.size === 0) lastOpenAt = now();
    },
    report() {
      if (mode === 'http') return { mode, openConnections: 0, msWithoutConnection: 0, ready: true };
      const without = open.size > 0 ? 0 : now() - lastOpenAt;
      return { mode, openConnections: open.size, msWithoutConnection: without, ready: without < limit };
    },
  };
}
