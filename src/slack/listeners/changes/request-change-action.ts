import { AppError } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import { postApprovalCard } from '../../approvals/post-approval-card.js';
import type { SlackContext } from '../../context.js';
import { describeError, respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { requestSavedCardFailedMessage, requestSentMessage } from '../../views/change-status-messages.js';
import { reply } from '../commands/reply.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from './button-args.js';

/** Request approval on a preview (value: change id): the preview becomes a pending request with a card. */
export function requestChangeListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const meta = { action: 'request', changeId, userId: click.userId };
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      const pending = await ctx.changes.requestChange(changeId, who.acting);
      try {
        await postApprovalCard(ctx, pending, args.client);
      } catch (error) {
        // The request is stored and pending: it is not lost, only its card is missing.
        const { refId } = describeError(ctx, error, { ...meta, step: 'approval card' });
        return await reply(click.respond, requestSavedCardFailedMessage({ change: pending, refId }), {
          replace: true,
        });
      }
      await reply(
        click.respond,
        requestSentMessage({ change: pending, approvalsChannelId: ctx.config.approvalsChannelId }),
        { replace: true },
      );
    } catch (error) {
      await respondWithError(ctx, click.respond, error, meta);
    }
  };
}
