import { ANNOUNCEMENTS, type Announcement, type Change } from '../../approvals/types.js';
import type { ApprovalsContext } from '../approvals/approvals-context.js';
import { DELIVERY_CLAIM_TTL_MS, isDue } from '../notify/backoff.js';
import { recordFailedDelivery } from '../notify/failed-delivery.js';
import { notifyApplied } from '../notify/notifier.js';
import { DECISION_POSTS } from './decision-posts.js';

/**
 * The one Slack-side module that turns what a change owes into posts: the announcements its transitions
 * recorded in its outbox (the card and its thread, the requester's DM) and its channel notice. Called by
 * whoever made the transition, right after it, and by the background relay for anything still owed (a
 * Slack outage, a process that stopped in between). Every delivery follows one policy (`backoff.ts`):
 * claimed per attempt so two posters never post the same attempt, retried with back-off, given up only
 * after about a day, with an audit row and an error line (`failed-delivery.ts`). A failure never touches
 * the change itself.
 */
export async function deliverOwed(ctx: ApprovalsContext, changeId: string): Promise<void> {
  try {
    const change = await ctx.store.getChange(changeId);
    if (!change) return;
    for (const key of ANNOUNCEMENTS) await deliverOne(ctx, change, key);
    await notifyApplied(ctx, changeId);
    // The Home tabs that show this change (requests, memberships, recent changes) are drawn again.
    ctx.home.changed(change);
  } catch (error) {
    // The store failed (or a view threw): what is owed stays recorded, and the relay tries again.
    ctx.logger.warn('could not deliver what a change owes yet; the relay tries again', { changeId, error });
  }
}

/** Whether a change still owes Slack something that is due now (for the relay). */
export function owesSomethingNow(change: Change, nowMs: number): boolean {
  return isDue(change.notification, nowMs) || ANNOUNCEMENTS.some((key) => isDue(change.outbox?.[key], nowMs));
}

async function deliverOne(ctx: ApprovalsContext, change: Change, key: Announcement): Promise<void> {
  const state = change.outbox?.[key];
  const now = ctx.clock.now().getTime();
  if (!isDue(state, now)) return;
  if (!(await ctx.store.claimKey(`announce:${change.id}:${key}:${state.attempts}`, DELIVERY_CLAIM_TTL_MS)))
    return;
  try {
    await DECISION_POSTS[key](ctx, change);
  } catch (error) {
    await recordFailedDelivery(ctx, { change, delivery: key, state, error });
    return;
  }
  await ctx.store.recordDeliveries(change.id, { [key]: { status: 'posted', attempts: state.attempts + 1 } });
}
