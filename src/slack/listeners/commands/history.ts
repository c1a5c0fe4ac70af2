import type { RespondFn } from '@slack/bolt';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import type { GroupRef } from '../../grammar/parse-groups-command.js';
import { textMessage } from '../../views/blocks.js';
import { HISTORY_SHOWN, historyListMessage } from '../../views/history-list.js';
import { reply } from './reply.js';

/**
 * `/groups history [group]`: the newest audit entries (SPEC §4.5), optionally of one group. The group is
 * found like everywhere else (exact name or `id:NNN`, with suggestions when it is unknown), so its id
 * filters the log even if the group was renamed since.
 */
export async function runHistoryCommand(
  ctx: SlackContext,
  input: { userId: string; group?: GroupRef; respond: RespondFn },
) {
  const who = await resolveActingUser(ctx, input.userId);
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  const group = input.group ? await ctx.membership.findGroup(input.group) : undefined;
  const entries = await ctx.store.listAudit({
    ...(group ? { groupId: group.id } : {}),
    limit: HISTORY_SHOWN,
  });
  await reply(input.respond, historyListMessage({ entries, ...(group ? { group } : {}) }));
}
