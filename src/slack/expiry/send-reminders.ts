import type { MembershipEnd } from '../../approvals/expiry/types.js';
import type { SlackContext } from '../context.js';
import { slackClientOf } from '../notify/notify-context.js';
import { isSlackUserId } from '../text/slack-actor.js';
import type { SlackMessage } from '../views/blocks.js';
import { reminderDm } from '../views/reminder-dm.js';

/**
 * Sends the reminders the core handed to this process (each claimed once across replicas): one DM to the
 * requester per group and change that set the ends, one to each member who is in Slack (found by email in
 * the saved Slack directory, without a Slack call per member).
 * An end is marked reminded once its DMs were tried; a member not in Slack, or a DM Slack refuses, is
 * logged and not tried again (a reminder is a courtesy: sending it twice is worse than missing one).
 */
export async function sendReminders(ctx: SlackContext, ends: readonly MembershipEnd[]): Promise<void> {
  const byOrigin = new Map<string, MembershipEnd[]>();
  for (const end of ends) {
    const key = `${end.groupId}:${end.setBy}`;
    byOrigin.set(key, [...(byOrigin.get(key) ?? []), end]);
  }
  for (const group of byOrigin.values()) {
    const requester = group[0]!.addedBy.slackUserId;
    if (isSlackUserId(requester))
      await dm(ctx, requester, reminderDm({ ends: group, audience: 'requester' }));
    const members = ctx.directory.slackIdsByEmail(group.map((end) => end.user.email));
    for (const end of group) {
      const member = members.get(end.user.email.toLowerCase());
      if (member && member !== requester)
        await dm(ctx, member, reminderDm({ ends: [end], audience: 'member' }));
    }
    await ctx.changes.markReminded(group);
    ctx.logger.info('membership end reminders sent', { groupId: group[0]!.groupId, people: group.length });
  }
}

async function dm(ctx: SlackContext, channel: string, message: SlackMessage): Promise<void> {
  try {
    // Posting to a user id reaches the bot's direct message with that person.
    await slackClientOf(ctx).chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
  } catch (error) {
    ctx.logger.warn('membership end reminder could not be sent', { channel, error });
  }
}
