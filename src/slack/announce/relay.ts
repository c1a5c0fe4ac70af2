import { FINAL_STATUSES } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { deliverOwed, owesSomethingNow } from './announcer.js';

/**
 * The one background relay: every `intervalMs`, delivers what finished changes still owe Slack and whose
 * back-off has passed (also what a restart or another replica left behind). Returns `stop()`. Runs never
 * overlap, and a stop waits for the run in progress.
 */
export function startAnnouncementRelay(ctx: SlackContext, options: { intervalMs: number }): () => void {
  let running = false;
  let stopped = false;
  async function tick(): Promise<void> {
    if (running || stopped) return;
    running = true;
    try {
      const now = ctx.clock.now().getTime();
      const changes = await ctx.store.listChanges({ statuses: FINAL_STATUSES });
      for (const change of changes) {
        if (stopped) break;
        if (owesSomethingNow(change, now)) await deliverOwed(ctx, change.id);
      }
    } catch (error) {
      ctx.logger.warn('announcement relay could not run; trying again at the next run', { error });
    } finally {
      running = false;
    }
  }
  const timer = setInterval(
    () => {
      if (ctx.work.accepting) void ctx.work.track(tick());
    },
    Math.max(50, options.intervalMs),
  );
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
