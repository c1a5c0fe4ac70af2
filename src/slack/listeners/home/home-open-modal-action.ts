import type { SlackContext } from '../../context.js';
import { type BlockActionArgs, readButtonClick } from '../changes/button-args.js';
import { openChangeModal } from '../modal/open-change-modal.js';

/** "Open /groups" on the Home tab: the `/groups` modal, opened at once with the click's trigger. */
export function homeOpenModalListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const triggerId = (args.body as { trigger_id?: unknown }).trigger_id;
    if (!click.userId || typeof triggerId !== 'string') return;
    await openChangeModal(ctx, {
      client: args.client,
      triggerId,
      userId: click.userId,
      respond: click.respond,
    });
  };
}
