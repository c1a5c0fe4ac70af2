import type { PacerClock } from '../../src/slack/web-api/pacer-clock.js';

/**
 * Waits of the Slack transport (back-offs, Retry-After) run `factor` times faster than asked, so a test can
 * use Slack's real figures (a 30 s Retry-After, back-off up to 30 s) and stay fast. Records what was asked.
 */
export function createFastPacerClock(factor = 100): PacerClock & { readonly asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    now: () => Date.now(),
    sleep: (ms) => {
      asked.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / factor)));
    },
  };
}

/**
 * A clock that stands still until the test moves it: `sleep(ms)` resolves once `advance` has passed its
 * deadline. For "later, but exactly once" checks on Slack's large Retry-After values.
 */
export function createManualPacerClock(): PacerClock & { advance(ms: number): void; sleepers(): number } {
  let now = Date.now();
  const waiting: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push({ at: now + ms, resolve }));
    },
    advance(ms) {
      now += ms;
      for (const w of waiting.filter((x) => x.at <= now)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    sleepers: () => waiting.length,
  };
}
