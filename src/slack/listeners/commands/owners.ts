import type { RespondFn } from '@slack/bolt';
import { resolveActingUser } from '../../acting-user.js';
import type { SlackContext } from '../../context.js';
import type { GroupRef, OwnerToken } from '../../grammar/parse-groups-command.js';
import { ownerRefOf } from '../../owners/owner-refs.js';
import { isSlackPeopleError } from '../../people/slack-people-error.js';
import { textMessage } from '../../views/blocks.js';
import { ownersChangedMessage, ownersMessage } from '../../views/owners-message.js';
import { reply } from './reply.js';
import { turnedAwayViewer } from './viewer-check.js';

/** `/groups owners <group>`: anyone who may look sees a group's owners. */
export async function runOwnersCommand(
  ctx: SlackContext,
  input: { userId: string; group: GroupRef; respond: RespondFn },
): Promise<void> {
  if (await turnedAwayViewer(ctx, input.userId, input.respond)) return;
  const group = await ctx.membership.findGroup(input.group);
  const owners = await ctx.owners.listOwners(group.id);
  await reply(input.respond, ownersMessage({ group, owners, ownersMay: ctx.owners.ownersMay }));
}

/**
 * `/groups owners <group> add|remove <people…>`: administrators only (the core decides). Who is added is
 * checked in Slack first: guests, bots, deactivated people and unknown user groups are refused with the
 * reason, and then nothing changes. Removing never needs such a check (an owner who became a guest must
 * still be removable).
 */
export async function runOwnersChangeCommand(
  ctx: SlackContext,
  input: {
    userId: string;
    group: GroupRef;
    change: { action: 'add' | 'remove'; owners: OwnerToken[] };
    respond: RespondFn;
  },
): Promise<void> {
  const who = await resolveActingUser(ctx, input.userId);
  if (!who.ok) return reply(input.respond, textMessage(who.message));
  ctx.owners.checkMayChangeOwners(who.acting);
  const group = await ctx.membership.findGroup(input.group);
  const { action, owners } = input.change;
  if (action === 'add') {
    const problems = await refusedOwners(ctx, owners);
    if (problems.length > 0) {
      return reply(
        input.respond,
        textMessage(`Nothing was changed.\n${problems.map((p) => `• ${p}`).join('\n')}`),
      );
    }
  }
  const result = await ctx.owners.changeOwners(who.acting, { group, action, owners: owners.map(ownerRefOf) });
  ctx.logger.info('group owners changed', {
    groupId: group.id,
    action,
    changed: result.changed.length,
    by: input.userId,
  });
  // Their Home tabs gain (or lose) this group's requests.
  ctx.home.refresh(result.changed.filter((o) => o.kind === 'person').map((o) => o.id));
  await reply(
    input.respond,
    ownersChangedMessage({ group, action, ...result, ownersMay: ctx.owners.ownersMay }),
  );
}

/** Why each of these may not become an owner (SPEC §4.8: guests are never owners; bots never click). */
async function refusedOwners(ctx: SlackContext, owners: readonly OwnerToken[]): Promise<string[]> {
  const problems: string[] = [];
  const users = owners.flatMap((o) => (o.kind === 'slack_user' ? [o.userId] : []));
  const profiles = users.length > 0 ? await ctx.directory.getProfiles(users) : new Map();
  for (const id of users) {
    const lookup = profiles.get(id);
    const profile = lookup?.status === 'found' ? lookup.profile : undefined;
    if (lookup?.status === 'failed') problems.push(`Slack did not say who <@${id}> is; please try again.`);
    else if (!profile || profile.deleted)
      problems.push(`<@${id}> is not an active member of this workspace.`);
    else if (profile.isGuest) problems.push(`<@${id}> is a guest, and guests are never owners.`);
    else if (profile.isBot) problems.push(`<@${id}> is a bot, and bots cannot be owners.`);
  }
  for (const owner of owners) {
    if (owner.kind !== 'slack_usergroup') continue;
    try {
      await ctx.directory.expandUsergroup(owner.usergroupId);
    } catch (error) {
      if (!isSlackPeopleError(error) || error.code !== 'usergroup_not_found') throw error;
      problems.push(
        `Slack has no user group <!subteam^${owner.usergroupId}>; it may have been deleted or disabled.`,
      );
    }
  }
  return problems;
}
