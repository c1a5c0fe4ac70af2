import type { ApplyProgress } from '../membership/types.js';

export type ProgressThrottleOptions = {
  /** Shows one progress update in place (the clicker's message, the approval card, the modal). */
  show(progress: ApplyProgress): Promise<unknown>;
  /** A failed update is cosmetic: reported here, and the next one is still tried. */
  onError?(error: unknown): void;
  /** At least this long between two updates, counted from the start too ("about once a second", SPEC §4.1). */
  minIntervalMs?: number;
  /** At most this many updates in all (a response_url takes five posts, reference §2.4). */
  maxUpdates?: number;
};

export type ProgressThrottle = {
  /** Called for every batch the core reports; what is shown is always the latest. */
  report(progress: ApplyProgress): void;
  /** No update after this; resolves once the one in flight is done, so the result is always drawn last. */
  finish(): Promise<void>;
};

/**
 * The one progress throttle of every place that shows "Adding 400 of 1,000 ▓▓▓▓░░░░░░" while a change is
 * applied: at most one update per `minIntervalMs` (the first one no sooner either, since the start just
 * drew "Applying…"), the latest progress when it is due (a report that came too early is shown late, not
 * dropped), never two at once, never one saying the work is done (the result says that), at most
 * `maxUpdates`, and none after `finish()`.
 */
export function createProgressThrottle(options: ProgressThrottleOptions): ProgressThrottle {
  const intervalMs = options.minIntervalMs ?? 1_000;
  const maxUpdates = options.maxUpdates ?? Number.POSITIVE_INFINITY;
  let lastShownAt = Date.now();
  let shown = 0;
  let latest: ApplyProgress | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  function cancelWaiting(): void {
    clearTimeout(timer);
    timer = undefined;
    latest = null;
  }

  function flush(): void {
    timer = undefined;
    if (finished || inFlight || !latest || shown >= maxUpdates) return;
    const wait = lastShownAt + intervalMs - Date.now();
    if (wait > 0) {
      timer = setTimeout(flush, wait);
      return;
    }
    const progress = latest;
    latest = null;
    lastShownAt = Date.now();
    shown += 1;
    inFlight = Promise.resolve()
      .then(() => options.show(progress))
      .then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      )
      .then(() => {
        inFlight = null;
        if (latest && !timer) flush();
      });
  }

  return {
    report(progress) {
      if (finished) return;
      if (progress.done >= progress.total) return cancelWaiting();
      latest = progress;
      if (!timer) flush();
    },
    async finish() {
      finished = true;
      cancelWaiting();
      await inFlight;
    },
  };
}
