import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyProgress } from '../../../src/membership/types.js';
import { createProgressThrottle } from '../../../src/slack/progress-throttle.js';

const p = (done: number, total = 1000): ApplyProgress => ({ done, total });

describe('createProgressThrottle (the one progress throttle: message, card, modal)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder() {
    const shown: ApplyProgress[] = [];
    return { shown, show: async (progress: ApplyProgress) => void shown.push(progress) };
  }

  it('shows at most one update a second, the first a second after the start, always the latest', async () => {
    const { shown, show } = recorder();
    const throttle = createProgressThrottle({ show });
    throttle.report(p(100));
    await vi.advanceTimersByTimeAsync(500);
    throttle.report(p(200));
    await vi.advanceTimersByTimeAsync(499);
    expect(shown).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // The report that came too early is shown when due, as the latest one.
    expect(shown).toEqual([p(200)]);
    for (let done = 300; done <= 600; done += 100) throttle.report(p(done));
    await vi.advanceTimersByTimeAsync(999);
    expect(shown).toEqual([p(200)]);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toEqual([p(200), p(600)]);
    throttle.report(p(700));
    await throttle.finish();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(shown).toEqual([p(200), p(600)]);
  });

  it('stops at maxUpdates (a response_url takes five posts in all)', async () => {
    const { shown, show } = recorder();
    const throttle = createProgressThrottle({ show, maxUpdates: 2 });
    for (let second = 1; second <= 5; second++) {
      throttle.report(p(second * 100));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    await throttle.finish();
    expect(shown).toEqual([p(100), p(200)]);
  });

  it('never shows the work as done (the result does), nor an older report after it', async () => {
    const { shown, show } = recorder();
    const throttle = createProgressThrottle({ show });
    throttle.report(p(900));
    throttle.report(p(1000));
    await vi.advanceTimersByTimeAsync(3_000);
    await throttle.finish();
    expect(shown).toEqual([]);
  });

  it('never two at once, and finish() waits for the one in flight, so the result lands last', async () => {
    let release: () => void = () => {};
    const events: string[] = [];
    const throttle = createProgressThrottle({
      show: (progress) =>
        new Promise<void>((resolve) => {
          events.push(`start ${progress.done}`);
          release = () => {
            events.push(`end ${progress.done}`);
            resolve();
          };
        }),
    });
    throttle.report(p(1));
    await vi.advanceTimersByTimeAsync(1_000);
    throttle.report(p(2));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(events).toEqual(['start 1']);
    const finished = throttle.finish().then(() => events.push('finished'));
    await vi.advanceTimersByTimeAsync(0);
    release();
    await finished;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(events).toEqual(['start 1', 'end 1', 'finished']);
  });

  it('reports a failed update and still tries the next one', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = createProgressThrottle({
      show: async () => {
        calls += 1;
        throw new Error('expired_url');
      },
      onError: (error) => errors.push(error),
    });
    throttle.report(p(1, 3));
    await vi.advanceTimersByTimeAsync(1_000);
    throttle.report(p(2, 3));
    await vi.advanceTimersByTimeAsync(1_000);
    await throttle.finish();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
