import type { SlackContext } from '../../context.js';
import { cancelledMessage } from '../../views/change-status-messages.js';
import { reply } from '../commands/reply.js';
import { changeButtonListener } from './change-button.js';

/** Cancel (or Dismiss) on a preview (value: change id). */
export function cancelChangeListener(ctx: SlackContext) {
  return changeButtonListener(ctx, 'cancel', async ({ click, changeId, acting }) => {
    const cancelled = await ctx.changes.cancelChange(changeId, acting);
    await reply(click.respond, cancelledMessage(cancelled), { replace: true });
  });
}
