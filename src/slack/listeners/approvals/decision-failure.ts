import type { RespondFn } from '@slack/bolt';
import { FINAL_STATUSES } from '../../../approvals/types.js';
import { isAppErrorWithCode } from '../../../membership/errors.js';
import { deliverOwed } from '../../announce/announcer.js';
import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import { refreshApprovalCard } from '../../approvals/refresh-approval-card.js';
import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { slackDate } from '../../text/slack-date.js';
import { textMessage } from '../../views/blocks.js';
import type { ChangeClickFailure } from '../changes/change-button.js';
import { reply } from '../commands/reply.js';

/** The `onError` of a card button whose failure needs nothing besides `answerDecisionFailure`. */
export function decisionFailureHandler(ctx: SlackContext) {
  return ({ args, click, changeId, error, meta }: ChangeClickFailure) =>
    answerDecisionFailure(
      { ...ctx, client: args.client },
      { error, changeId, userId: click.userId, respond: click.respond, meta },
    );
}

/**
 * A click on a card did not go through. The clicker is told why, ephemerally ("already approved by … at
 * …", "expired"); and the card is brought up to date when this click is what moved the request (it
 * expired on the spot, or Kantata failed after the approval) or when the card lags behind a final state.
 */
export async function answerDecisionFailure(
  ctx: ApprovalsContext,
  input: {
    error: unknown;
    changeId: string | undefined;
    userId: string | undefined;
    respond: RespondFn;
    meta: Record<string, unknown>;
  },
): Promise<void> {
  const { error } = input;
  const current = input.changeId ? await ctx.changes.getChange(input.changeId).catch(() => null) : null;
  if (current && isAppErrorWithCode(error, 'change_expired')) {
    if (error.detail.expiredNow === true) await deliverOwed(ctx, current.id);
    else await refreshApprovalCard(ctx, current);
    const when = slackDate(current.expiresAt);
    ctx.logger.info('request refused', { ...input.meta, code: error.code });
    await reply(
      input.respond,
      textMessage(
        `⌛ This request expired${when ? ` ${when}` : ''} before anyone decided. Nothing was changed.`,
      ),
    ).catch((e: unknown) => ctx.logger.warn('could not answer a stale click', { ...input.meta, error: e }));
    return;
  }
  if (current?.status === 'pending' && isAppErrorWithCode(error, 'held_run_not_applied')) {
    // A held run that stays held: its card shows what is known now (the plan it would apply, if any).
    await refreshApprovalCard(ctx, current);
  } else if (current && isAppErrorWithCode(error, 'change_already_decided')) {
    // Self-healing: a card whose earlier update failed still shows buttons; this click redraws it.
    if (FINAL_STATUSES.includes(current.status)) await refreshApprovalCard(ctx, current);
  } else if (current?.status === 'failed' && current.decidedBy?.slackUserId === input.userId) {
    // This approval could not be applied (Kantata could not be read): the request ends here, say so.
    await deliverOwed(ctx, current.id);
  }
  await respondWithError(ctx, input.respond, error, input.meta);
}
