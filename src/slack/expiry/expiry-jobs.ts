import { startBackgroundJob } from '../background-job.js';
import type { SlackContext } from '../context.js';
import { lateness } from '../views/access-ended-message.js';
import { announceEnded } from './announce-ended.js';
import { sendReminders } from './send-reminders.js';

/**
 * The end of temporary memberships (SPEC §4.6), at start and then every `intervalMs`, in every replica:
 * - due removals: the core claims each due end in the store, so each removal happens once however many
 *   replicas sweep; a bot that was stopped at the end time removes at its first sweep and says how late;
 * - reminders EXPIRY_REMINDER before the end, each claimed once.
 * Runs never overlap; a stop waits for the run in progress. Returns `stop()` and the first run.
 */
export function startExpiryJobs(
  ctx: SlackContext,
  options: { intervalMs: number },
): { stop(): void; firstRun: Promise<void> } {
  // Two jobs: a removal never waits behind a batch of reminder DMs (each paced by Slack's tiers).
  const removals = startBackgroundJob(ctx, {
    name: 'membership end removals',
    intervalMs: options.intervalMs,
    run: () => endDue(ctx),
  });
  const reminders = startBackgroundJob(ctx, {
    name: 'membership end reminders',
    intervalMs: options.intervalMs,
    run: async () => {
      // Members are found in the Slack directory: until its first load, no reminder is claimed (a claimed
      // one is sent once, so claiming it now would remind the requester only).
      if (ctx.directory.stats().loadedAt === null) return;
      await sendReminders(ctx, await ctx.changes.claimDueReminders());
    },
  });
  return {
    firstRun: Promise.all([removals.firstRun, reminders.firstRun]).then(() => undefined),
    stop() {
      removals.stop();
      reminders.stop();
    },
  };
}

async function endDue(ctx: SlackContext): Promise<void> {
  const ended = await ctx.changes.endDue({
    onError: (groupId, error) =>
      ctx.logger.error('a due removal could not be run; trying again at the next sweep', { groupId, error }),
  });
  for (const { change, report } of ended) {
    const failed = report.outcomes.filter((o) => o.outcome === 'failed');
    const late = lateness(change);
    const log = failed.length > 0 ? ctx.logger.error.bind(ctx.logger) : ctx.logger.info.bind(ctx.logger);
    log('temporary memberships ended', {
      changeId: change.id,
      groupId: change.group.id,
      removed: report.outcomes.filter((o) => o.outcome === 'removed').length,
      failed: failed.length,
      ...(late ? { late } : {}),
    });
    await announceEnded(ctx, change);
  }
}
