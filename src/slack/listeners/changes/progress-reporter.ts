import type { ApplyProgress } from '../../../membership/types.js';

export type ProgressReporterOptions = {
  /** Sends one progress message (replacing the previous one). */
  send(progress: ApplyProgress): Promise<unknown>;
  onError(error: unknown): void;
  /** At most this many progress messages: a response_url takes 5 posts in all (SPEC §4.1, reference §2.4). */
  maxUpdates?: number;
  /** At most one progress message per this interval ("about once a second"). */
  minIntervalMs?: number;
  now?: () => number;
};

/**
 * Turns the core's per-batch progress into a few message updates: at most `maxUpdates`, at least
 * `minIntervalMs` apart, in order, never after the work is done. `settled()` waits for the last one, so
 * the final result can never be overwritten by a late progress message.
 */
export function createProgressReporter(options: ProgressReporterOptions) {
  const now = options.now ?? Date.now;
  const maxUpdates = options.maxUpdates ?? 2;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  let last = now();
  let sent = 0;
  let chain: Promise<void> = Promise.resolve();
  return {
    onProgress(progress: ApplyProgress): void {
      if (sent >= maxUpdates || progress.done >= progress.total) return;
      const at = now();
      if (at - last < minIntervalMs) return;
      last = at;
      sent += 1;
      chain = chain
        .then(() => options.send(progress))
        .then(
          () => undefined,
          (error: unknown) => options.onError(error),
        );
    },
    settled(): Promise<void> {
      return chain;
    },
  };
}
