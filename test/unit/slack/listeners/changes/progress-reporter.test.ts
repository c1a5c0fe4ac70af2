import { describe, expect, it } from 'vitest';
import type { ApplyProgress } from '../../../../../src/membership/types.js';
import { createProgressReporter } from '../../../../../src/slack/listeners/changes/progress-reporter.js';

function reporter(maxUpdates = 2) {
  let now = 0;
  const sent: ApplyProgress[] = [];
  const errors: unknown[] = [];
  const r = createProgressReporter({
    send: async (p) => {
      sent.push(p);
    },
    onError: (e) => errors.push(e),
    now: () => now,
    maxUpdates,
    minIntervalMs: 1000,
  });
  return { r, sent, errors, advance: (ms: number) => (now += ms) };
}

describe('createProgressReporter', () => {
  it('sends at most one update a second and at most the allowed number in all', async () => {
    const { r, sent, advance } = reporter(2);
    r.onProgress({ done: 100, total: 1000 });
    advance(999);
    r.onProgress({ done: 200, total: 1000 });
    advance(1);
    r.onProgress({ done: 300, total: 1000 });
    advance(5000);
    r.onProgress({ done: 400, total: 1000 });
    advance(5000);
    r.onProgress({ done: 500, total: 1000 });
    await r.settled();
    expect(sent).toEqual([
      { done: 300, total: 1000 },
      { done: 400, total: 1000 },
    ]);
  });

  it('sends nothing once the work is done, so the result is never overwritten', async () => {
    const { r, sent, advance } = reporter();
    advance(2000);
    r.onProgress({ done: 10, total: 10 });
    await r.settled();
    expect(sent).toEqual([]);
  });

  it('reports a failed update and carries on', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    let now = 0;
    const r = createProgressReporter({
      send: async () => {
        calls += 1;
        throw new Error('used_url');
      },
      onError: (e) => errors.push(e),
      now: () => now,
    });
    now = 1000;
    r.onProgress({ done: 1, total: 3 });
    now = 2000;
    r.onProgress({ done: 2, total: 3 });
    await r.settled();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
