import type { RespondFn, types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackContext } from '../../context.js';
import { changeModal } from '../../views/change-modal.js';
import { newRefId, slackErrorCode } from './modal-support.js';

const TRIGGER_GONE = new Set(['expired_trigger_id', 'invalid_trigger_id', 'trigger_exchanged']);

/**
 * `/groups` alone: opens the modal at once (SPEC §4.2). Called right after the command's ack and before
 * any Kantata or store call, because a trigger_id works once and only for 3 seconds. Who may do what is
 * checked later, at each option load and at submission, never here.
 */
export async function openChangeModal(
  ctx: SlackContext,
  input: {
    client: WebClient;
    triggerId: string;
    userId: string;
    respond: RespondFn;
    /** The form to open (a shortcut fills some of it in); default: the empty one. */
    view?: types.ModalView;
  },
): Promise<string | undefined> {
  try {
    const opened = await input.client.views.open({
      trigger_id: input.triggerId,
      view: input.view ?? changeModal(),
    });
    return opened.view?.id;
  } catch (error) {
    const code = slackErrorCode(error);
    const refId = newRefId();
    ctx.logger.warn('could not open the /groups modal', {
      refId,
      userId: input.userId,
      code: code ?? String(error),
    });
    const text =
      code && TRIGGER_GONE.has(code)
        ? 'Slack took too long to open the form, so it was not shown. Please run `/groups` again.'
        : `The form could not be opened (reference ${refId}). Please run \`/groups\` again, or use ` +
          '`/groups add`, `/groups remove` or `/groups members` directly (`/groups help` shows how).';
    await input
      .respond({ response_type: 'ephemeral', text })
      .catch((respondError: unknown) =>
        ctx.logger.warn('could not tell the user', { refId, error: respondError }),
      );
    return undefined;
  }
}
