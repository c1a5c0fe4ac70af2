import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import type { GroupRef } from '../../grammar/parse-groups-command.js';
import type { SlackMessage } from '../../views/blocks.js';
import { MEMBERS_PAGE_SIZE, membersMessage } from '../../views/members-message.js';
import { reply } from './reply.js';
import { turnedAwayViewer } from './viewer-check.js';

/** `/groups members <group>`: the first page; Next / Previous replace it (see members-page-action.ts). */
export async function runMembersCommand(
  ctx: SlackContext,
  input: { userId: string; group: GroupRef; respond: RespondFn },
): Promise<void> {
  if (await turnedAwayViewer(ctx, input.userId, input.respond)) return;
  const group = await ctx.membership.findGroup(input.group);
  await reply(input.respond, await membersPage(ctx, group, 1));
}

/** One page of members; a page past the end (the group shrank) shows the last one. */
export async function membersPage(
  ctx: SlackContext,
  group: { id: string; name: string },
  page: number,
): Promise<SlackMessage> {
  let result = await ctx.membership.listMembers(group.id, { page, pageSize: MEMBERS_PAGE_SIZE });
  if (result.page > result.pageCount) {
    result = await ctx.membership.listMembers(group.id, {
      page: result.pageCount,
      pageSize: MEMBERS_PAGE_SIZE,
    });
  }
  return membersMessage({ group, page: result });
}
