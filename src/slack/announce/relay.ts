import { startBackgroundJob } from '../background-job.js';
import type { SlackContext } from '../context.js';
import { deliverOwed, owesSomethingNow } from './announcer.js';

/**
 * The one background relay: at start and every `intervalMs`, delivers what finished changes still owe
 * Slack and whose back-off has passed (also what a restart or another replica left behind). It lists only
 * what is owed (`listOwing`), so a run costs the same after years of history.
 */
export function startAnnouncementRelay(ctx: SlackContext, options: { intervalMs: number }): () => void {
  const job = startBackgroundJob(ctx, {
    name: 'announcement relay',
    intervalMs: options.intervalMs,
    run: async (isStopped) => {
      const now = ctx.clock.now().getTime();
      for (const change of await ctx.store.listOwing()) {
        if (isStopped()) break;
        if (owesSomethingNow(change, now)) await deliverOwed(ctx, change.id);
      }
    },
  });
  return job.stop;
}
