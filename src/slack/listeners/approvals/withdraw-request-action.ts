import { AppError } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import { announceOutcome } from '../../approvals/announce-outcome.js';
import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from '../changes/button-args.js';
import { reply } from '../commands/reply.js';
import { answerDecisionFailure } from './decision-failure.js';

/**
 * Withdraw on an approval card (value: change id): only the requester may use it (the card is in a
 * channel, so anyone can click; the click is what is checked). The request moves `pending → cancelled`
 * atomically, the card shows 🚫 CANCELLED and the requester gets a direct message.
 */
export function withdrawRequestListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const actx: ApprovalsContext = { ...ctx, client: args.client };
    const meta = { action: 'withdraw', changeId, userId: click.userId };
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const change = await ctx.changes.getChange(changeId);
      if (change.requestedBy.slackUserId !== click.userId) {
        return await reply(
          click.respond,
          textMessage('Only the person who made this request can withdraw it.'),
        );
      }
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      const cancelled = await ctx.changes.cancelChange(changeId, who.acting);
      await announceOutcome(actx, cancelled);
      await reply(click.respond, textMessage('🚫 Your request is withdrawn. Nothing was changed.'));
    } catch (error) {
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
