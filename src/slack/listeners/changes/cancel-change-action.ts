import { AppError } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { cancelledMessage } from '../../views/change-status-messages.js';
import { reply } from '../commands/reply.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from './button-args.js';

/** Cancel (or Dismiss) on a preview (value: change id). */
export function cancelChangeListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const meta = { action: 'cancel', changeId, userId: click.userId };
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      const cancelled = await ctx.changes.cancelChange(changeId, who.acting);
      await reply(click.respond, cancelledMessage(cancelled), { replace: true });
    } catch (error) {
      await respondWithError(ctx, click.respond, error, meta);
    }
  };
}
