import { AppError, isAppErrorWithCode } from '../../../membership/errors.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { undoPreviewMessage } from '../../views/undo-preview.js';
import { type BlockActionArgs, changeIdFrom, readButtonClick } from '../changes/button-args.js';
import { reply } from '../commands/reply.js';

/**
 * Undo on a change notification (value: change id), SPEC §4.4: administrators only, within UNDO_WINDOW,
 * once. The clicker gets the inverse change as an ephemeral preview with Apply and Cancel; Apply goes
 * through the normal apply path (`applyUndo`), where the click is checked again.
 */
export function undoChangeListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const changeId = changeIdFrom(click.value);
    const meta = { action: 'undo', changeId, userId: click.userId };
    try {
      if (!click.userId || !changeId)
        throw new AppError('change_not_found', 'A button without a change id', meta);
      const who = await resolveActingUser(ctx, click.userId);
      if (!who.ok) return await reply(click.respond, textMessage(who.message));
      if (!who.acting.isAdmin) {
        return await reply(
          click.respond,
          textMessage('Only Kantata account administrators can undo a change.'),
        );
      }
      const undo = await ctx.changes.previewUndo(changeId, who.acting);
      const original = await ctx.changes.getChange(changeId);
      await reply(click.respond, undoPreviewMessage({ undo, original }));
    } catch (error) {
      if (isAppErrorWithCode(error, 'change_already_decided') && error.detail.status === 'undone') {
        ctx.logger.info('request refused', { ...meta, code: error.code, reason: 'already undone' });
        return await reply(click.respond, textMessage('This change has already been undone.')).catch(
          () => undefined,
        );
      }
      await respondWithError(ctx, click.respond, error, meta);
    }
  };
}
