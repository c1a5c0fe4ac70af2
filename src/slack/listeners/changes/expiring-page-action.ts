import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { parseExpiringPageValue } from '../../views/expiring-message.js';
import { expiringPage } from '../commands/expiring.js';
import { reply } from '../commands/reply.js';
import { turnedAwayViewer } from '../commands/viewer-check.js';
import { type BlockActionArgs, readButtonClick } from './button-args.js';

const INVALID_BUTTON = 'This button is not valid. Run `/groups expiring` again.';

/** Next / Previous on `/groups expiring` (value `<groupId or *>:<page>`): replaces the page in place. */
export function expiringPageListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const target = parseExpiringPageValue(click.value);
    try {
      if (await turnedAwayViewer(ctx, click.userId, click.respond)) return;
      if (!target) return await reply(click.respond, textMessage(INVALID_BUTTON));
      const group = target.groupId
        ? await ctx.membership.findGroup({ kind: 'id', id: target.groupId })
        : undefined;
      await reply(click.respond, await expiringPage(ctx, group, target.page), { replace: true });
    } catch (error) {
      await respondWithError(ctx, click.respond, error, { action: 'expiring_page', value: click.value });
    }
  };
}
