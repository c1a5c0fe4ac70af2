import type { FakeSlackUser } from '../fake-slack-types.js';
import type { FakeContext, MethodHandler } from './context.js';
import { fail, num, str } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** Slack documents 200 as the page size to ask for; the fake never returns more, whatever `limit` says. */
const MAX_PAGE = 200;
/** Slack tries to return everything when no limit is given, and gives up on big workspaces. */
const UNPAGED_MAX = 1000;

/** A user object as users.info / users.list / users.lookupByEmail return it (the fields bots read). */
export function slackUserJson(ctx: FakeContext, u: FakeSlackUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: ctx.teamId,
    name: u.name,
    deleted: u.deleted,
    real_name: u.realName,
    is_admin: u.isAdmin,
    is_owner: false,
    is_bot: u.isBot,
    is_app_user: false,
    is_restricted: u.isRestricted,
    is_ultra_restricted: u.isUltraRestricted,
    is_email_confirmed: u.email !== undefined,
    tz: u.tz,
    updated: 1_700_000_000,
    profile: {
      real_name: u.realName,
      display_name: u.displayName,
      real_name_normalized: u.realName,
      display_name_normalized: u.displayName,
      ...(u.email === undefined ? {} : { email: u.email }),
      team: ctx.teamId,
    },
  };
}

export const info: MethodHandler = (ctx, args) => {
  const id = str(args.user);
  const user = id ? ctx.directory.users.get(id) : undefined;
  return user ? { ok: true, user: slackUserJson(ctx, user) } : fail('user_not_found');
};

export const list: MethodHandler = (ctx, args) => {
  const all = ctx.directory.order;
  const cursor = str(args.cursor);
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  if (offset === undefined) return fail('invalid_cursor');
  const limit = num(args.limit) ?? 0;
  if (limit < 0) return fail('invalid_limit');
  if (limit === 0 && all.length > UNPAGED_MAX) return fail('limit_required');
  const size = limit === 0 ? all.length : Math.min(limit, MAX_PAGE);
  const page = all.slice(offset, offset + size);
  const nextOffset = offset + page.length;
  return {
    ok: true,
    members: page.map((u) => slackUserJson(ctx, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: nextOffset < all.length ? encodeCursor(nextOffset) : '' },
  };
};

export const lookupByEmail: MethodHandler = (ctx, args) => {
  const email = str(args.email);
  if (!email) return fail('invalid_arguments');
  const user = ctx.directory.byEmail(email);
  return user ? { ok: true, user: slackUserJson(ctx, user) } : fail('users_not_found');
};

export const usergroupUsers: MethodHandler = (ctx, args) => {
  const id = str(args.usergroup);
  const group = id ? ctx.directory.usergroups.get(id) : undefined;
  return group ? { ok: true, users: [...group.userIds] } : fail('no_such_subteam');
};

/** Opening a DM: `users` holds one user id (several would be a group DM, which this bot never needs). */
export const conversationsOpen: MethodHandler = (ctx, args) => {
  const channel = str(args.channel);
  if (channel) return { ok: true, channel: { id: channel } };
  const users = str(args.users)?.split(',') ?? [];
  if (users.length !== 1) return fail('invalid_arguments', ['[ERROR] the fake only opens one-to-one DMs']);
  const user = users[0] ?? '';
  if (!ctx.directory.users.has(user)) return fail('user_not_found');
  return { ok: true, channel: { id: ctx.dmChannelOf(user) } };
};
