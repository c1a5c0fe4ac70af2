import type { RespondFn } from '@slack/bolt';
import type { LinkActor, LinkTarget } from '../../../membership/identity.js';
import type { UserMissReason } from '../../../membership/pick-user.js';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import { escapeMrkdwn } from '../../text/escape-mrkdwn.js';
import { textMessage } from '../../views/blocks.js';
import { linkedMessage, unlinkedMessage } from '../../views/identity-messages.js';
import { reply } from './reply.js';

/** Who asks, checked now; the core decides whether they may link (administrators only). Null with a refusal. */
async function linkActor(ctx: SlackContext, userId: string, respond: RespondFn): Promise<LinkActor | null> {
  const who = await resolveActingUser(ctx, userId);
  if (!who.ok) {
    await reply(respond, textMessage(who.message));
    return null;
  }
  const { actor, isAdmin, isGuest } = who.acting;
  // Named in the audit row as the Kantata user they are now.
  const by: LinkActor = { ...actor, slackUserId: userId, isAdmin, isGuest };
  ctx.identity.checkMayLink(by);
  return by;
}

const MISSES: Record<UserMissReason, (detail: string) => string> = {
  no_kantata_user: (d) => `No active Kantata user on this account matches ${d}.`,
  several_matches: (d) => `Several Kantata users match ${d}; link by id instead: \`id:NNN\`.`,
  disabled: (d) => `The Kantata user ${d} is disabled; link an active user.`,
};

/** `/groups link <@U> <email | id:N>`. */
export async function runLinkCommand(
  ctx: SlackContext,
  input: { userId: string; slackUserId: string; target: LinkTarget; respond: RespondFn },
): Promise<void> {
  const by = await linkActor(ctx, input.userId, input.respond);
  if (!by) return;
  const profile = await ctx.directory.getProfile(input.slackUserId);
  if (!profile || profile.deleted) {
    return reply(
      input.respond,
      textMessage(`<@${input.slackUserId}> is not an active member of this Slack workspace.`),
    );
  }
  if (profile.isGuest || profile.isBot) {
    const what = profile.isGuest ? 'a guest' : 'a bot';
    return reply(
      input.respond,
      textMessage(
        `<@${input.slackUserId}> is ${what}, and ${what}s cannot use \`/groups\`, so there is nothing to link.`,
      ),
    );
  }
  const result = await ctx.identity.link(input.slackUserId, input.target, by);
  if (!result.ok) {
    const why =
      result.reason === 'invalid'
        ? escapeMrkdwn(result.detail)
        : MISSES[result.reason](`*${escapeMrkdwn(result.detail)}*`);
    return reply(input.respond, textMessage(`Nothing was linked. ${why}`));
  }
  ctx.logger.info('identity linked', {
    slackUserId: input.slackUserId,
    kantataUserId: result.user.id,
    by: input.userId,
  });
  await reply(
    input.respond,
    linkedMessage({
      slackUserId: input.slackUserId,
      user: result.user,
      isAdmin: ctx.membership.isAdministrator(result.user),
    }),
  );
}

/** `/groups unlink <@U>`. */
export async function runUnlinkCommand(
  ctx: SlackContext,
  input: { userId: string; slackUserId: string; respond: RespondFn },
): Promise<void> {
  const by = await linkActor(ctx, input.userId, input.respond);
  if (!by) return;
  const removed = await ctx.identity.unlink(input.slackUserId, by);
  if (removed) ctx.logger.info('identity unlinked', { slackUserId: input.slackUserId, by: input.userId });
  await reply(input.respond, unlinkedMessage(input.slackUserId, removed));
}
