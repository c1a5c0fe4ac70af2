import type { RespondFn } from '@slack/bolt';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { textMessage } from '../../views/blocks.js';
import { requestsListMessage } from '../../views/requests-list.js';
import { reply } from './reply.js';

/**
 * `/groups requests`: pending requests with their age and expiry: the caller's own, or every pending
 * request for administrators (who decide them); an owner sees the requests for their groups they may
 * decide, then their own. Who is an administrator or an owner is checked now (SPEC §2, §4.8).
 */
export async function runRequestsCommand(ctx: SlackContext, input: { userId: string; respond: RespondFn }) {
  const who = await resolveActingUser(ctx, input.userId);
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  const all = who.acting.isAdmin;
  const requests = await ctx.store.listChanges({
    statuses: ['pending'],
    ...(all ? {} : { requestedBy: input.userId }),
  });
  const decidable = all ? [] : await ctx.changes.listDecidable(who.acting);
  await reply(
    input.respond,
    requestsListMessage({
      requests,
      scope: all ? 'all' : 'mine',
      ...(decidable.length > 0 ? { decidable } : {}),
      now: ctx.clock.now(),
      approvalsChannelId: ctx.config.approvalsChannelId,
    }),
  );
}
