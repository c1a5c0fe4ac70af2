import { postApprovalCard } from '../../approvals/post-approval-card.js';
import type { SlackContext } from '../../context.js';
import { describeError } from '../../respond-error.js';
import { requestSavedCardFailedMessage, requestSentMessage } from '../../views/change-status-messages.js';
import { reply } from '../commands/reply.js';
import { changeButtonListener } from './change-button.js';

/** Request approval on a preview (value: change id): the preview becomes a pending request with a card. */
export function requestChangeListener(ctx: SlackContext) {
  return changeButtonListener(ctx, 'request', async ({ args, click, changeId, acting, meta }) => {
    const pending = await ctx.changes.requestChange(changeId, acting);
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
  });
}
