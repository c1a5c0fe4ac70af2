import type { SlackContext } from '../context.js';
import { announceTakenOver } from './announce-taken-over.js';

/**
 * Takes over changes whose owner stopped working on them (SPEC §8): at start, and then every
 * `intervalMs`. The core only takes a change whose lease has expired, atomically, so with several replicas
 * each orphaned change is finished exactly once, and a change another replica is still applying (a rolling
 * deploy) is left alone. Runs never overlap; a stop waits for the run in progress. Returns `stop()` and the
 * first run, so the caller can wait for the start-up pass.
 */
export function startTakeovers(
  ctx: SlackContext,
  options: { intervalMs: number },
): { stop(): void; firstRun: Promise<void> } {
  let running = false;
  let stopped = false;
  const runOnce = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      const finished = await ctx.changes.resumeInterrupted({
        onError: (changeId, error) =>
          ctx.logger.error('could not finish a change taken over; trying again later', { changeId, error }),
      });
      for (const { change } of finished) {
        ctx.logger.warn('finished a change that was interrupted', {
          changeId: change.id,
          status: change.status,
        });
        await announceTakenOver(ctx, change);
      }
    } catch (error) {
      ctx.logger.warn('takeover run failed; trying again at the next run', { error });
    } finally {
      running = false;
    }
  };
  const tick = (): Promise<void> => {
    if (!ctx.work.accepting) return Promise.resolve();
    return ctx.work.track(runOnce());
  };
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
