import { type ClientRequest, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createKeyClaims } from '../../src/store/postgres/key-claims.js';

const NOW = new Date('2026-03-01T09:00:00.000Z');

/** A statement that claims every key it is given except `live` ones, and records each call. */
function fakeStatement(live: Set<string> = new Set()) {
  const calls: { keys: string[]; expiresAt: string[]; now: string }[] = [];
  let release: (() => void) | undefined;
  let held = false;
  return {
    calls,
    hold() {
      held = true;
    },
    release() {
      held = false;
      release?.();
    },
    async statement(keys: string[], expiresAt: string[], now: string) {
      calls.push({ keys, expiresAt, now });
      if (held) await new Promise<void>((resolve) => (release = resolve));
      return new Set(keys.filter((key) => !live.has(key)));
    },
  };
}

describe('key claims sent together', () => {
  it('sends claims made while a statement is in flight as one statement, sorted, each with its own answer', async () => {
    const fake = fakeStatement(new Set(['live']));
    const claims = createKeyClaims(fake.statement, () => NOW);
    fake.hold();
    const first = claims.claim('a', 1_000);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const later = [claims.claim('live', 60_000), claims.claim('c', 2_000), claims.claim('b', 3_000)];
    expect(fake.calls).toHaveLength(1);
    fake.release();
    expect(await first).toBe(true);
    expect(await Promise.all(later)).toEqual([false, true, true]);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]).toEqual({
      keys: ['b', 'c', 'live'],
      expiresAt: ['2026-03-01T09:00:03.000Z', '2026-03-01T09:00:02.000Z', '2026-03-01T09:01:00.000Z'],
      now: NOW.toISOString(),
    });
  });

  it('sends the claims of requests read in one poll phase (each in a macrotask of its own) as one statement', async () => {
    const fake = fakeStatement();
    const claims = createKeyClaims(fake.statement, () => NOW);
    const answers: Promise<boolean>[] = [];
    const server = createServer((req, res) => {
      answers.push(claims.claim(String(req.url), 1_000));
      req.resume();
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const paths = ['/x', '/y', '/z'];
    const requests = await Promise.all(
      paths.map(
        (path) =>
          new Promise<ClientRequest>((resolve) => {
            const req = request({ port, host: '127.0.0.1', path, method: 'POST', agent: false });
            req.on('socket', (socket) => socket.once('connect', () => resolve(req)));
            req.on('response', (res) => res.resume());
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Three requests on three connections, sent while this event loop (the server's too) is busy: the next
    // poll phase reads them all, each in a callback of its own, as Slack's arrive under load.
    for (const req of requests) req.end('a=1');
    const busyUntil = Date.now() + 30;
    while (Date.now() < busyUntil) {
      // busy on purpose
    }
    while (answers.length < paths.length) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await Promise.all(answers)).toEqual([true, true, true]);
    expect(fake.calls.map((c) => c.keys)).toEqual([paths]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives a key claimed twice in one statement to the first claim only', async () => {
    const fake = fakeStatement();
    const claims = createKeyClaims(fake.statement, () => NOW);
    const answers = await Promise.all([
      claims.claim('k', 1_000),
      claims.claim('k', 1_000),
      claims.claim('j', 1),
    ]);
    expect(answers).toEqual([true, false, true]);
    expect(fake.calls.map((c) => c.keys)).toEqual([['j', 'k']]);
  });

  it('fails every claim of a statement that failed, and the next claims go in a statement of their own', async () => {
    let fail = true;
    const claims = createKeyClaims(
      async (keys) => {
        if (fail) throw new Error('storage is unavailable');
        return new Set(keys);
      },
      () => NOW,
    );
    const failed = await Promise.allSettled([claims.claim('a', 1), claims.claim('b', 1)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await claims.claim('a', 1)).toBe(true);
  });
});
