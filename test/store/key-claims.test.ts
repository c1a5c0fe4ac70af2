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
    await Promise.resolve();
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
