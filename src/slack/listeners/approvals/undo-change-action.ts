import { isAppErrorWithCode } from '../../../membership/errors.js';
import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { undoPreviewMessage } from '../../views/undo-preview.js';
import { changeButtonListener } from '../changes/change-button.js';
import { reply } from '../commands/reply.js';

/**
 * Undo on a change notification (value: change id), SPEC §4.4: administrators only, within UNDO_WINDOW,
 * once (the core decides all three). The clicker gets the inverse change as an ephemeral preview with Apply
 * and Cancel; Apply goes through the normal apply path, where the click is checked again.
 */
export function undoChangeListener(ctx: SlackContext) {
  return changeButtonListener(
    ctx,
    'undo',
    async ({ click, changeId, acting }) => {
      const undo = await ctx.changes.previewUndo(changeId, acting);
      const original = await ctx.changes.getChange(changeId);
      await reply(click.respond, undoPreviewMessage({ undo, original }));
    },
    {
      onError: async ({ click, error, meta }) => {
        if (isAppErrorWithCode(error, 'change_already_decided') && error.detail.status === 'undone') {
          ctx.logger.info('request refused', { ...meta, code: error.code, reason: 'already undone' });
          return await reply(click.respond, textMessage('This change has already been undone.')).catch(
            () => undefined,
          );
        }
        await respondWithError(ctx, click.respond, error, meta);
      },
    },
  );
}
