import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { groupListMessage } from '../../views/group-list-message.js';
import { reply } from './reply.js';
import { turnedAwayViewer } from './viewer-check.js';

/** More than anyone scrolls through; the count of the rest is still exact up to this. */
const SEARCH_LIMIT = 100_000;

/** `/groups list [search]`: from the cached group list (SPEC §5), so it answers quickly. */
export async function runListCommand(
  ctx: SlackContext,
  input: { userId: string; search?: string; respond: RespondFn },
): Promise<void> {
  if (await turnedAwayViewer(ctx, input.userId, input.respond)) return;
  const groups = await ctx.membership.searchGroups(input.search ?? '', SEARCH_LIMIT);
  await reply(input.respond, groupListMessage({ groups, ...(input.search ? { search: input.search } : {}) }));
}
