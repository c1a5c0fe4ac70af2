import type { RespondFn } from '@slack/bolt';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { notLinkedWhoamiMessage, whoamiMessage } from '../../views/identity-messages.js';
import { reply } from './reply.js';

/** `/groups whoami`: the Kantata user this person is, found how, whether an administrator, how many groups they own. */
export async function runWhoamiCommand(ctx: SlackContext, input: { userId: string; respond: RespondFn }) {
  const who = await resolveActingUser(ctx, input.userId);
  if (!who.ok) return reply(input.respond, notLinkedWhoamiMessage(who.message));
  const { identity } = who;
  await reply(
    input.respond,
    whoamiMessage({
      slackUserId: input.userId,
      user: identity.user,
      via: identity.via,
      isAdmin: identity.isAdmin,
      allowed: ctx.changes.allowedActions(who.acting),
      ownedGroups: who.acting.isAdmin ? 0 : (await ctx.changes.ownedGroupIds(who.acting)).size,
    }),
  );
}
