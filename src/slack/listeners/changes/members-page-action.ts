import type { SlackContext } from '../../context.js';
import { respondWithError } from '../../respond-error.js';
import { textMessage } from '../../views/blocks.js';
import { parseMembersPageValue } from '../../views/members-message.js';
import { membersPage } from '../commands/members.js';
import { reply } from '../commands/reply.js';
import { turnedAwayViewer } from '../commands/viewer-check.js';
import { type BlockActionArgs, readButtonClick } from './button-args.js';

const INVALID_BUTTON = 'This button is not valid. Run `/groups members &lt;group&gt;` again.';

/** Next / Previous on `/groups members` (value `<groupId>:<page>`): replaces the page in place. */
export function membersPageListener(ctx: SlackContext) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    const click = readButtonClick(ctx, args);
    const target = parseMembersPageValue(click.value);
    try {
      if (await turnedAwayViewer(ctx, click.userId, click.respond)) return;
      if (!target) return await reply(click.respond, textMessage(INVALID_BUTTON));
      const group = await ctx.membership.findGroup({ kind: 'id', id: target.groupId });
      await reply(click.respond, await membersPage(ctx, group, target.page), { replace: true });
    } catch (error) {
      await respondWithError(ctx, click.respond, error, { action: 'members_page', value: click.value });
    }
  };
}
