import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackContext } from '../../context.js';
import { type GroupsCommand, parseGroupsCommand } from '../../grammar/parse-groups-command.js';
import { respondWithError } from '../../respond-error.js';
import { usageErrorMessage } from '../../views/help-message.js';
import { openChangeModal } from '../modal/open-change-modal.js';
import { runChangeCommand } from './change.js';
import { runExpiringCommand } from './expiring.js';
import { runHelpCommand } from './help.js';
import { runHistoryCommand } from './history.js';
import { runLinkCommand, runUnlinkCommand } from './link.js';
import { runListCommand } from './list.js';
import { runMembersCommand } from './members.js';
import { runOwnersChangeCommand, runOwnersCommand } from './owners.js';
import { reply } from './reply.js';
import { runRequestsCommand } from './requests.js';
import { runSyncsCommand, runUnsyncCommand } from './standing-syncs.js';
import { runSyncCommand } from './sync.js';
import { runWhoamiCommand } from './whoami.js';

export type GroupsCommandInput = {
  text: string;
  userId: string;
  triggerId: string;
  respond: RespondFn;
  client: WebClient;
};

/** `/groups …` after the ack: parse, then one sub-command; every failure becomes an ephemeral answer. */
export async function runGroupsCommand(ctx: SlackContext, input: GroupsCommandInput): Promise<void> {
  const parsed = parseGroupsCommand(input.text, {
    maxPeople: ctx.config.maxPeoplePerChange,
    maxMembershipMs: ctx.config.maxMembershipMs,
  });
  try {
    if (!parsed.ok) return await reply(input.respond, usageErrorMessage(parsed.error));
    await dispatch(ctx, parsed.command, input);
  } catch (error) {
    const kind = parsed.ok ? parsed.command.kind : 'unparsed';
    await respondWithError(ctx, input.respond, error, { command: kind, userId: input.userId });
  }
}

function dispatch(ctx: SlackContext, command: GroupsCommand, input: GroupsCommandInput): Promise<void> {
  const { userId, respond } = input;
  switch (command.kind) {
    case 'open_modal':
      // trigger_id expires 3 s after the click and works once: nothing may be awaited before this.
      return openChangeModal(ctx, { client: input.client, triggerId: input.triggerId, userId, respond }).then(
        () => undefined,
      );
    case 'help':
      return runHelpCommand({ respond });
    case 'list':
      return runListCommand(ctx, { userId, respond, ...(command.search ? { search: command.search } : {}) });
    case 'members':
      return runMembersCommand(ctx, { userId, group: command.group, respond });
    case 'add':
    case 'remove':
      return runChangeCommand(ctx, { userId, command, respond });
    case 'sync':
      return runSyncCommand(ctx, { userId, command, respond });
    case 'syncs':
      return runSyncsCommand(ctx, { userId, respond });
    case 'unsync':
      return runUnsyncCommand(ctx, { userId, group: command.group, respond });
    case 'whoami':
      return runWhoamiCommand(ctx, { userId, respond });
    case 'link':
      return runLinkCommand(ctx, {
        userId,
        slackUserId: command.slackUserId,
        target: command.target,
        respond,
      });
    case 'unlink':
      return runUnlinkCommand(ctx, { userId, slackUserId: command.slackUserId, respond });
    case 'requests':
      return runRequestsCommand(ctx, { userId, respond });
    case 'expiring':
      return runExpiringCommand(ctx, { userId, respond, ...(command.group ? { group: command.group } : {}) });
    case 'owners':
      return command.change
        ? runOwnersChangeCommand(ctx, { userId, group: command.group, change: command.change, respond })
        : runOwnersCommand(ctx, { userId, group: command.group, respond });
    case 'history':
      return runHistoryCommand(ctx, { userId, respond, ...(command.group ? { group: command.group } : {}) });
  }
}
