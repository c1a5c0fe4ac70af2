import type { WebClient } from '@slack/web-api';
import type { Change } from '../../approvals/types.js';
import type { SlackContext } from '../context.js';
import { notifyOwnersOfRequest } from '../owners/owner-dms.js';
import { approvalCard } from '../views/approval-card.js';
import { approvalsClient } from './approvals-context.js';
import { rememberCardLocation } from './card-location.js';

/** A card is posted by one poster at a time (the Request click, or the job that reposts missing cards). */
const CARD_CLAIM_TTL_MS = 60_000;

/**
 * Posts the approval card of a pending request to APPROVALS_CHANNEL_ID and remembers where it is, so
 * that every later transition updates it in place; then sends it to the group's owners and refreshes the
 * Home tabs it appears on. Throws when Slack refuses (the request stays pending
 * and stored; `startApprovalJobs` posts the card again later).
 */
export async function postApprovalCard(ctx: SlackContext, change: Change, client?: WebClient): Promise<void> {
  if (!(await ctx.store.claimKey(`approval-card:${change.id}`, CARD_CLAIM_TTL_MS))) {
    ctx.logger.info('approval card already being posted', { changeId: change.id });
    return;
  }
  const message = approvalCard({ change });
  const posted = await approvalsClient({ ...ctx, ...(client ? { client } : {}) }).chat.postMessage({
    channel: ctx.config.approvalsChannelId,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
  const channel = posted.channel ?? ctx.config.approvalsChannelId;
  await rememberCardLocation(ctx, change.id, { channel, ts: posted.ts });
  ctx.logger.info('approval card posted', { changeId: change.id, channel, ts: posted.ts });
  const actx = { ...ctx, ...(client ? { client } : {}) };
  await notifyOwnersOfRequest(actx, change.id);
  ctx.home.changed(change);
}
