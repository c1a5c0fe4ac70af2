import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { answerClickerAfterResume } from '../listeners/changes/resumed-result.js';
import { deliverOwed } from './announcer.js';

/**
 * Everything Slack is owed for a change this process took over and finished (after a crash, a stop or a
 * storage outage of its first owner): what its outbox and notice hold (for a request: the approval card,
 * its thread and the requester's DM), and the clicker's "Applying…" replaced by the result while Slack
 * still takes it.
 */
export async function announceTakenOver(ctx: SlackContext, change: Change): Promise<void> {
  await Promise.all([answerClickerAfterResume(ctx, change), deliverOwed(ctx, change.id)]);
}
