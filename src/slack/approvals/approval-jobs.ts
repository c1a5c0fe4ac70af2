import { deliverOwed } from '../announce/announcer.js';
import { startBackgroundJob } from '../background-job.js';
import type { SlackContext } from '../context.js';
import { notifyOwnersOfRequest, ownersNotified } from '../owners/owner-dms.js';
import { cardLocationOf } from './card-location.js';
import { postApprovalCard } from './post-approval-card.js';

/** A pending request whose card is still missing this long after it was made gets its card posted again. */
const CARD_GRACE_MS = 60_000;

/**
 * Background work of the approval flow, at start and then every `intervalMs`:
 * - expiry (SPEC §4.3): pending requests past REQUEST_TTL expire, also those that expired while the bot
 *   was stopped (the deadline is stored with the request); their cards show ⌛ EXPIRED and the requester
 *   is told. The transition is atomic, so two replicas sweeping at once announce each expiry once.
 * - cards that could not be posted when the request was made are posted again, and owner DMs that could
 *   not be sent are sent.
 * Returns `stop()`. Runs never overlap, and a stop waits for the run in progress (the work tracker).
 */
export function startApprovalJobs(ctx: SlackContext, options: { intervalMs: number }): () => void {
  const job = startBackgroundJob(ctx, {
    name: 'approval jobs',
    intervalMs: options.intervalMs,
    run: async () => {
      await expireOverdue(ctx);
      await postMissingCards(ctx);
    },
  });
  return job.stop;
}

async function expireOverdue(ctx: SlackContext): Promise<void> {
  const expired = await ctx.changes.expireOverdue();
  for (const change of expired) {
    ctx.logger.info('request expired', { changeId: change.id, expiresAt: change.expiresAt });
    await deliverOwed(ctx, change.id);
  }
}

async function postMissingCards(ctx: SlackContext): Promise<void> {
  const now = ctx.clock.now().getTime();
  const pending = await ctx.store.listChanges({ statuses: ['pending'] });
  for (const change of pending) {
    if (now - Date.parse(change.updatedAt) < CARD_GRACE_MS) continue;
    if (cardLocationOf(change)) {
      // The card is there; owner DMs that could not be sent with it are sent now (never twice).
      if (!ownersNotified(change)) await notifyOwnersOfRequest(ctx, change.id);
      continue;
    }
    try {
      await postApprovalCard(ctx, change);
    } catch (error) {
      ctx.logger.warn('approval card could not be posted again', { changeId: change.id, error });
    }
  }
}
