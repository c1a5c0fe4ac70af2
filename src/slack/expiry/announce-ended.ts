import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { notifyApplied } from '../notify/notifier.js';

/**
 * The one place where the end of temporary memberships reaches Slack's channel: the channel notice of the due
 * removal (its own wording, no Undo; see access-ended-message.ts), with the notifier's delivery state and
 * retries. Kept to this function so that it moves onto the shared announcer (issue 15) in one edit.
 */
export async function announceEnded(ctx: SlackContext, change: Change): Promise<void> {
  await notifyApplied(ctx, change.id).catch((error: unknown) =>
    ctx.logger.warn('notification of an ended access failed; it is retried', { changeId: change.id, error }),
  );
}
