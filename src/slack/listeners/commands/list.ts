import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { groupListMessage } from '../../views/group-list-message.js';
import { reply } from './reply.js';
import { refuseViewer } from './viewer-check.js';

/** More than anyone scrolls through; the count of the rest is still exact up to this. */
const SEARCH_LIMIT = 100_000;

/** `/groups list [search]`: from the cached group list (SPEC §5), so it answers quickly. */
export async function runListCommand(
  ctx: SlackContext,
  input: { userId: string; search?: string; respond: RespondFn },
): Promise<void> {
  const refusal = await refuseViewer(ctx, input.userId);
  if (refusal) return reply(input.respond, textMessage(refusal));
  const groups = await ctx.membership.searchGroups(input.search ?? '', SEARCH_LIMIT);
  await reply(input.respond, groupListMessage({ groups, ...(input.search ? { search: input.search } : {}) }));
}
