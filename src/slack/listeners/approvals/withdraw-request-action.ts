import { deliverOwed } from '../../announce/announcer.js';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { changeButtonListener } from '../changes/change-button.js';
import { reply } from '../commands/reply.js';
import { decisionFailureHandler } from './decision-failure.js';

/**
 * Withdraw on an approval card (value: change id): only the requester may use it (the card is in a
 * channel, so anyone can click; the core checks the click). The request moves `pending → cancelled`
 * atomically, the card shows 🚫 CANCELLED and the requester gets a direct message.
 */
export function withdrawRequestListener(ctx: SlackContext) {
  return changeButtonListener(
    ctx,
    'withdraw',
    async ({ args, click, changeId, acting }) => {
      const cancelled = await ctx.changes.cancelChange(changeId, acting);
      await deliverOwed({ ...ctx, client: args.client }, cancelled.id);
      // From the Home tab: it is drawn again without the request, and the direct message says it.
      if (!click.inView)
        await reply(click.respond, textMessage('🚫 Your request is withdrawn. Nothing was changed.'));
    },
    { onError: decisionFailureHandler(ctx) },
  );
}
