import { startBackgroundJob } from '../background-job.js';
import type { SlackContext } from '../context.js';
import { announceTakenOver } from './announce-taken-over.js';

/**
 * Takes over changes whose owner stopped working on them (SPEC §8): at start, and then every
 * `intervalMs`. The core only takes a change whose lease has expired, atomically, so with several replicas
 * each orphaned change is finished exactly once, and a change another replica is still applying (a rolling
 * deploy) is left alone. Returns `stop()` and the first run, so the caller can wait for the start-up pass.
 */
export function startTakeovers(ctx: SlackContext, options: { intervalMs: number }) {
  return startBackgroundJob(ctx, {
    name: 'takeover run',
    intervalMs: options.intervalMs,
    run: async () => {
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
    },
  });
}
