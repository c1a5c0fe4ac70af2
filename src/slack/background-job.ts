import type { WorkTracker } from './work-tracker.js';

/**
 * A background job of the bot: `run` at start and then every `intervalMs`, never two runs at once, no new
 * run once stopped or while the app is stopping, and each run tracked, so a stop waits for the one in
 * progress. A run that throws is logged and tried again at the next interval. Returns `stop()` and the
 * first run (for a caller that must wait for the start-up pass).
 */
export function startBackgroundJob(
  ctx: { work: WorkTracker; logger: { warn(message: string, fields?: Record<string, unknown>): void } },
  options: { name: string; intervalMs: number; run: (isStopped: () => boolean) => Promise<void> },
): { stop(): void; firstRun: Promise<void> } {
  let running = false;
  let stopped = false;
  const runOnce = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      await options.run(() => stopped);
    } catch (error) {
      ctx.logger.warn(`${options.name} failed; trying again at the next run`, { error });
    } finally {
      running = false;
    }
  };
  const tick = (): Promise<void> => (ctx.work.accepting ? ctx.work.track(runOnce()) : Promise.resolve());
  const firstRun = tick();
  const timer = setInterval(() => void tick(), Math.max(50, options.intervalMs));
  timer.unref();
  return {
    firstRun,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
