import type { Change } from '../../approvals/types.js';
import { requesterDm } from '../views/approval-dm.js';
import { approvalThreadReplies } from '../views/approval-thread.js';
import type { SlackMessage } from '../views/blocks.js';
import { type ApprovalsContext, approvalsClient } from './approvals-context.js';
import { findCardLocation } from './card-location.js';
import { refreshApprovalCard } from './refresh-approval-card.js';

/**
 * Tells everyone how a request ended (SPEC §4.3): the card is redrawn without its buttons, the details go
 * into its thread, and the requester gets a direct message. Called once, by whoever made the transition;
 * each step is independent, so a Slack failure in one never stops the others or touches the change.
 */
export async function announceOutcome(ctx: ApprovalsContext, change: Change): Promise<void> {
  await refreshApprovalCard(ctx, change);
  await postThreadReplies(ctx, change);
  await sendRequesterDm(ctx, change);
}

async function postThreadReplies(ctx: ApprovalsContext, change: Change): Promise<void> {
  const location = await findCardLocation(ctx, change).catch(() => null);
  if (!location) return;
  for (const message of approvalThreadReplies({ change })) {
    await post(ctx, change, 'thread reply', { channel: location.channel, thread_ts: location.ts }, message);
  }
}

async function sendRequesterDm(ctx: ApprovalsContext, change: Change): Promise<void> {
  const message = requesterDm({ change });
  // Posting to a user id reaches the bot's direct message with that person.
  if (message) await post(ctx, change, 'requester DM', { channel: change.requestedBy.slackUserId }, message);
}

async function post(
  ctx: ApprovalsContext,
  change: Change,
  what: string,
  where: { channel: string; thread_ts?: string },
  message: SlackMessage,
): Promise<void> {
  try {
    await approvalsClient(ctx).chat.postMessage({
      ...where,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (error) {
    ctx.logger.warn(`approval ${what} failed`, { changeId: change.id, status: change.status, error });
  }
}

/**
 * For a change finished after a restart (`resumeInterrupted`): if it was a request with a card, its card,
 * thread and requester are told like after any approval. A direct apply has no card and is left alone.
 */
export async function announceResumedRequest(ctx: ApprovalsContext, change: Change): Promise<void> {
  if (!change.decidedBy || !(await findCardLocation(ctx, change).catch(() => null))) return;
  await announceOutcome(ctx, change);
}
