import type { ApplyProgress } from '../../../membership/types.js';

export type ProgressUpdates = {
  /** Called for every batch; shows at most one update per interval, always the latest. */
  report(progress: ApplyProgress): void;
  /** No more updates; resolves once the one in flight (if any) is done, so the result lands last. */
  finish(): Promise<void>;
};

/**
 * Progress shown in place at most about once a second (SPEC §4.1; Slack rate-limits views.update),
 * never two updates in flight, and never one after `finish` so it cannot overwrite the result.
 */
export function createProgressUpdates(
  show: (progress: ApplyProgress) => Promise<unknown>,
  intervalMs = 1_000,
) {
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let latest: ApplyProgress | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  function flush(): void {
    timer = undefined;
    if (finished || inFlight || !latest) return;
    const wait = lastShownAt + intervalMs - Date.now();
    if (wait > 0) {
      timer = setTimeout(flush, wait);
      return;
    }
    const progress = latest;
    latest = null;
    lastShownAt = Date.now();
    inFlight = show(progress)
      .catch(() => undefined)
      .then(() => {
        inFlight = null;
        if (latest && !timer) flush();
      });
  }

  const updates: ProgressUpdates = {
    report(progress) {
      if (finished) return;
      latest = progress;
      if (!timer) flush();
    },
    async finish() {
      finished = true;
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
  return updates;
}
