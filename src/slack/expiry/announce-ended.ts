import type { Change } from '../../approvals/types.js';
import { deliverOwed } from '../announce/announcer.js';
import type { SlackContext } from '../context.js';

/**
 * The end of temporary memberships reaches Slack through the one announcer: the due removal recorded its
 * channel notice (its own wording, no Undo; see access-ended-message.ts) in the same atomic write as its
 * final status, the announcer posts it now, and the relay retries it if Slack fails meanwhile.
 */
export async function announceEnded(ctx: SlackContext, change: Change): Promise<void> {
  await deliverOwed(ctx, change.id);
}
