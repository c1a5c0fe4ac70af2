import { AppError } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import { announceOutcome } from '../../approvals/announce-outcome.js';
import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import { createCardProgress } from '../../approvals/card-progress.js';
import type { SlackContext } from '../../context.js';
import { notifyApplied } from '../../notify/notifier.js';
import { escapeMrkdwn } from '../../text/escape-mrkdwn.js';
import { textMessage } from '../../views/blocks.js';
import { headline } from '../../views/result-message.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from '../changes/button-args.js';
import { reply } from '../commands/reply.js';
import { answerDecisionFailure } from './decision-failure.js';

/**
 * Approve on an approval card (value: change id). The clicker is authorized now (SPEC §2); the core moves
 * the request `pending → approved` atomically, plans it again against Kantata's current state and applies
 * it. The card shows "approved, applying…", then the outcome; the requester gets a direct message.
 */
export function approveRequestListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const actx: ApprovalsContext = { ...ctx, client: args.client };
    const meta = { action: 'approve', changeId, userId: click.userId };
    const progress = createCardProgress(actx);
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      const { change, report } = await ctx.changes.approveRequest(changeId, who.acting, {
        onApproved: (approved) => {
          void progress.approved(approved);
        },
        onProgress: progress.onProgress,
      });
      await progress.settled();
      await announceOutcome(actx, change);
      await reply(
        click.respond,
        textMessage(`✅ Approved and applied: ${escapeMrkdwn(headline({ change, report }))}.`),
      ).catch((error: unknown) => ctx.logger.warn('could not answer the approver', { changeId, error }));
      // The notification keeps its own delivery state and retries: a failure here never re-applies.
      await notifyApplied(actx, change.id).catch((error: unknown) =>
        ctx.logger.error('notification failed', { changeId: change.id, error }),
      );
    } catch (error) {
      await progress.settled();
      await answerDecisionFailure(actx, {
        error,
        changeId,
        userId: click.userId,
        respond: click.respond,
        meta,
      });
    }
  };
}
