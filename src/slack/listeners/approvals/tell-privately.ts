import type { ApprovalsContext } from '../../approvals/approvals-context.js';
import { approvalsClient } from '../../approvals/approvals-context.js';
import { findCardLocation } from '../../approvals/card-location.js';
import { plainFallback, section } from '../../views/blocks.js';

/**
 * Tells one person something about a request when there is no response_url (a modal submission): an
 * ephemeral message next to the card, or a direct message if that is not possible.
 */
export async function tellPrivately(
  ctx: ApprovalsContext,
  input: { userId: string; changeId: string; text: string },
): Promise<void> {
  const message = { text: plainFallback(input.text), blocks: [section(input.text)] };
  const client = approvalsClient(ctx);
  try {
    const location = await findCardLocation(ctx, { id: input.changeId });
    if (location) {
      await client.chat.postEphemeral({ channel: location.channel, user: input.userId, ...message });
      return;
    }
  } catch (error) {
    ctx.logger.info('ephemeral answer failed; sending a direct message', { changeId: input.changeId, error });
  }
  await client.chat
    .postMessage({ channel: input.userId, ...message })
    .catch((error: unknown) =>
      ctx.logger.warn('could not tell the user', { changeId: input.changeId, error }),
    );
}
