import type { Change } from '../../approvals/types.js';
import { recordLocations } from '../locations.js';
import {
  namesGoToThread,
  notificationMessage,
  notificationThreadMessages,
} from '../views/notification-message.js';
import { countOutcomes } from '../views/result-message.js';
import { DELIVERY_CLAIM_TTL_MS, isDue } from './backoff.js';
import { recordFailedDelivery } from './failed-delivery.js';
import { type NotifyContext, slackClientOf } from './notify-context.js';
import { postThreadReplies } from './post-thread-replies.js';

export type NotifyResult = 'posted' | 'retry_later' | 'gave_up' | 'skipped';

/**
 * Posts the channel notification of an applied change (SPEC §4.4) once. Delivery state lives in the
 * change (`notification`); a failed post is recorded with a back-off (`failed-delivery.ts`) and retried by
 * the announcement relay, so the change is neither lost nor announced twice.
 */
export async function notifyApplied(ctx: NotifyContext, changeId: string): Promise<NotifyResult> {
  const change = await ctx.store.getChange(changeId);
  const state = change?.notification;
  // Due is checked on the record just read: a caller that saw an older state never posts early.
  if (!change?.report || !isDue(state, ctx.clock.now().getTime())) return 'skipped';
  if (!(await ctx.store.claimKey(`notify:${changeId}:${state.attempts}`, DELIVERY_CLAIM_TTL_MS)))
    return 'skipped';
  const report = change.report;
  const message = notificationMessage({ change, report, undoAvailable: undoAvailable(ctx, change) });
  let ts: string;
  let channel: string;
  try {
    const posted = await slackClientOf(ctx).chat.postMessage({
      channel: ctx.config.notifyChannelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
    ts = posted.ts;
    channel = posted.channel ?? ctx.config.notifyChannelId;
  } catch (error) {
    const next = await recordFailedDelivery(ctx, { change, delivery: 'notification', state, error });
    return next.status === 'failed' ? 'gave_up' : 'retry_later';
  }
  // Where it was posted and that it was, in one atomic write that keeps every other location.
  await recordLocations(
    ctx,
    changeId,
    { notifyChannel: channel, notifyTs: ts },
    { notification: { status: 'posted', attempts: state.attempts + 1 } },
  );
  ctx.logger.info('change notified', { changeId, channel, ts });
  if (namesGoToThread(report)) {
    await postThreadReplies(ctx, {
      changeId,
      channel,
      threadTs: ts,
      messages: notificationThreadMessages({ change, report }),
    });
  }
  return 'posted';
}

/** Undo lasts UNDO_WINDOW from the apply, for a change that changed someone and was not undone already. */
export function undoAvailable(ctx: Pick<NotifyContext, 'clock' | 'config'>, change: Change): boolean {
  // An ended access is put back with a new add for a time, never undone (SPEC §4.6).
  if (!change.appliedAt || change.undoneBy || change.expiry) return false;
  if (change.status !== 'applied' && change.status !== 'partially_applied') return false;
  if (countOutcomes(change.report?.outcomes ?? []).changed === 0) return false;
  return Date.parse(change.appliedAt) + ctx.config.undoWindowMs > ctx.clock.now().getTime();
}
