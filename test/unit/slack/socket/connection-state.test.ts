import { describe, expect, it } from 'vitest';
import { createConnectionState } from '../../../../src/slack/socket/connection-state.js';

describe('Socket Mode connection state', () => {
  it('is ready with a connection, and stays ready for 10 s without one, then not', () => {
    let now = 1_000_000;
    const state = createConnectionState('socket', { now: () => now });
    state.opened('a');
    state.opened('b');
    now += 60_000;
    expect(state.report()).toEqual({
      mode: 'socket',
      openConnections: 2,
      msWithoutConnection: 0,
      ready: true,
    });
    state.closed('a');
    state.closed('b');
    now += 9_999;
    expect(state.report()).toMatchObject({ openConnections: 0, msWithoutConnection: 9_999, ready: true });
    now += 1;
    expect(state.report()).toMatchObject({ msWithoutConnection: 10_000, ready: false });
    state.opened('c');
    expect(state.report().ready).toBe(true);
  });

  it('counts from the start when no connection was ever open', () => {
    let now = 0;
    const state = createConnectionState('socket', { now: () => now });
    now = 10_000;
    expect(state.report().ready).toBe(false);
  });

  it('is always ready in HTTP mode', () => {
    let now = 0;
    const state = createConnectionState('http', { now: () => now });
    now = 1e9;
    expect(state.report().ready).toBe(true);
  });
});
