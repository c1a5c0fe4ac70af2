import { type Change, isChangeAudit, type NotificationState } from '../../approvals/types.js';
import {
  namesGoToThread,
  notificationMessage,
  notificationThreadMessages,
} from '../views/notification-message.js';
import { countOutcomes } from '../views/result-message.js';
import { afterFailedAttempt, DELIVERY_CLAIM_TTL_MS, isDue } from './backoff.js';
import { type NotifyContext, slackClientOf } from './notify-context.js';
import { postThreadReplies } from './post-thread-replies.js';

export type NotifyResult = 'posted' | 'retry_later' | 'gave_up' | 'skipped';

/**
 * Posts the channel notification of an applied change (SPEC §4.4) once. Delivery state lives in the
 * change (`notification`); a failed post is recorded with a back-off and retried by
 * `startNotificationRetries`, so the change is neither lost nor announced twice.
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
    return recordFailure(ctx, change, state, error);
  }
  // Where it was posted and that it was, in one atomic write that keeps every other location.
  await ctx.store.mergeLocations(
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

async function recordFailure(
  ctx: NotifyContext,
  change: Change,
  state: NotificationState,
  error: unknown,
): Promise<NotifyResult> {
  const next = afterFailedAttempt(state, error, ctx.clock.now().getTime());
  await ctx.store.updateChange(change.id, { notification: next });
  const auditId = await auditIdOf(ctx, change);
  const fields = { changeId: change.id, auditId, attempts: next.attempts, lastError: next.lastError };
  if (next.status === 'failed') {
    ctx.logger.error('change notification given up', fields);
    return 'gave_up';
  }
  ctx.logger.warn('change notification failed; will retry', {
    ...fields,
    nextAttemptAt: next.nextAttemptAt,
    channel: ctx.config.notifyChannelId,
  });
  return 'retry_later';
}

/** The audit row of this apply, so the log line leads an admin straight to it (SPEC §4.4). */
export async function auditIdOf(ctx: NotifyContext, change: Change): Promise<string | undefined> {
  try {
    const rows = await ctx.store.listAudit({ groupId: change.group.id, limit: 50 });
    return rows.find((row) => isChangeAudit(row) && row.changeId === change.id)?.id;
  } catch {
    return undefined;
  }
}
