import * as chat from './chat.js';
import type { MethodHandler } from './context.js';
import * as conversations from './conversations.js';
import * as users from './users.js';
import * as views from './views.js';

const authTest: MethodHandler = (ctx) => ({
  ok: true,
  url: 'https://fake.slack.com/',
  team: 'Fake Team',
  user: 'groups-bot',
  team_id: ctx.teamId,
  user_id: ctx.botUserId,
  bot_id: ctx.botId,
  is_enterprise_install: false,
});

/** The Web API methods the fake knows; anything else answers `unknown_method`, as Slack does. */
export const METHODS: Readonly<Record<string, MethodHandler>> = {
  'auth.test': authTest,
  'chat.postMessage': chat.postMessage,
  'chat.update': chat.update,
  'chat.postEphemeral': chat.postEphemeral,
  'views.open': views.open,
  'views.push': views.push,
  'views.update': views.update,
  'views.publish': views.publish,
  'users.info': users.info,
  'users.list': users.list,
  'users.lookupByEmail': users.lookupByEmail,
  'usergroups.users.list': users.usergroupUsers,
  'conversations.open': users.conversationsOpen,
  'conversations.members': conversations.members,
  'files.info': (ctx, args) => {
    const id = typeof args.file === 'string' ? args.file : '';
    const file = ctx.files?.files.get(id);
    return file && ctx.files
      ? { ok: true, file: ctx.files.json(file) }
      : { ok: false, error: 'file_not_found' };
  },
};

export type { FakeContext, MethodResult } from './context.js';
