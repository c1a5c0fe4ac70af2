import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { mentionsInMessage } from '../../grammar/message-mentions.js';
import { isSlackPeopleError } from '../../people/slack-people-error.js';
import { type ChangeFormValues, changeModal } from '../../views/change-modal.js';
import { responderFor } from '../commands/reply.js';
import { showView } from '../modal/modal-support.js';
import { openChangeModal } from '../modal/open-change-modal.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/** A multi_users_select starts with at most this many people; more are for `/groups add`. */
const MAX_PREFILLED_USERS = 100;

/**
 * "Add these people to a Kantata group" on a message: the `/groups` modal opens at once (the trigger lasts
 * 3 s) with the Slack users and emails the message names already filled in, the author left out; user
 * groups are expanded right after and their members added to the form. A message that names nobody opens
 * the modal with a note saying so.
 */
export function addFromMessageListener(ctx: SlackContext) {
  return async (args: ShortcutArgs): Promise<void> => {
    await args.ack();
    if (args.shortcut.type !== 'message_action') return;
    const shortcut = args.shortcut as MessageShortcut;
    const userId = shortcut.user.id;
    const author = typeof shortcut.message.user === 'string' ? shortcut.message.user : undefined;
    const mentions = mentionsInMessage(shortcut.message, author);
    const nobody =
      mentions.userIds.length === 0 && mentions.usergroupIds.length === 0 && mentions.emails.length === 0;
    const form = (userIds: readonly string[]): ChangeFormValues => ({
      action: 'add',
      userIds: userIds.slice(0, MAX_PREFILLED_USERS),
      emailsText: mentions.emails.join('\n'),
      reason: '',
    });
    const respond = responderFor({
      ...(typeof args.respond === 'function' ? { respond: args.respond } : {}),
      client: args.client,
      logger: ctx.logger,
      userId,
    });
    const expanding = mentions.usergroupIds.length > 0;
    const notice = nobody
      ? 'That message mentions nobody (no people, user groups or email addresses), so nobody is filled in. Choose the people below.'
      : expanding
        ? 'Adding the members of the user groups the message mentions…'
        : undefined;
    const viewId = await openChangeModal(ctx, {
      client: args.client,
      triggerId: shortcut.trigger_id,
      userId,
      respond,
      view: changeModal({ initial: form(mentions.userIds), ...(notice ? { notice } : {}) }),
    });
    if (!viewId || !expanding) return;
    const { userIds, problems } = await expandGroups(ctx, mentions.usergroupIds, author);
    const all = [...new Set([...mentions.userIds, ...userIds])];
    const notes = [
      ...problems,
      ...(all.length > MAX_PREFILLED_USERS
        ? [
            `The message names ${all.length} people; the first ${MAX_PREFILLED_USERS} are filled in. Use \`/groups add\` for more.`,
          ]
        : []),
    ];
    await showView(
      ctx,
      args.client,
      viewId,
      changeModal({ initial: form(all), ...(notes.length > 0 ? { notice: notes.join(' ') } : {}) }),
    );
  };
}

async function expandGroups(
  ctx: SlackContext,
  usergroupIds: readonly string[],
  author: string | undefined,
): Promise<{ userIds: string[]; problems: string[] }> {
  const userIds: string[] = [];
  const problems: string[] = [];
  for (const id of usergroupIds) {
    try {
      for (const member of await ctx.directory.expandUsergroup(id))
        if (member !== author) userIds.push(member);
    } catch (error) {
      problems.push(
        isSlackPeopleError(error) && error.code === 'usergroup_not_found'
          ? `Slack has no user group <!subteam^${id}>, so nobody was filled in for it.`
          : `Slack did not list the members of <!subteam^${id}>; add them by hand or try again.`,
      );
    }
  }
  return { userIds, problems };
}
