import type { Change } from '../../approvals/types.js';
import { announceResumedRequest } from '../approvals/announce-outcome.js';
import type { SlackContext } from '../context.js';
import { answerClickerAfterResume } from '../listeners/changes/resumed-result.js';
import { notifyApplied } from '../notify/notifier.js';

/**
 * Everything Slack is owed for a change this process took over and finished (after a crash, a stop or a
 * storage outage of its first owner): the approval card, its thread and the requester's DM for a request,
 * the clicker's "Applying…" replaced by the result while Slack still takes it, and the channel notice.
 * Each part is independent and keeps its own delivery state, so a failing one never stops the others.
 */
export async function announceTakenOver(ctx: SlackContext, change: Change): Promise<void> {
  await Promise.all([
    announceResumedRequest(ctx, change),
    answerClickerAfterResume(ctx, change),
    notifyApplied(ctx, change.id).catch((error: unknown) =>
      ctx.logger.warn('notification of a taken-over change failed; it is retried', {
        changeId: change.id,
        error,
      }),
    ),
  ]);
}
