import type { FakeContext, MethodHandler } from './context.js';
import { fail, num, str } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** Slack's documented maximum page of conversations.members; it recommends 200 and defaults to 100. */
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

/**
 * conversations.members as Slack answers it: cursor-paged, the bot's own membership deciding what it may see.
 * A public channel is readable with `channels:read` whether or not the bot is in it; a private channel only
 * when the bot is a member, and otherwise Slack pretends it does not exist (`channel_not_found`).
 */
export const members: MethodHandler = (ctx: FakeContext, args) => {
  const id = str(args.channel);
  if (!id) return fail('channel_not_found');
  const channel = ctx.directory.channels.get(id);
  if (!channel) return fail('channel_not_found');
  if (channel.isPrivate && !channel.memberIds.includes(ctx.botUserId)) return fail('channel_not_found');
  const cursor = str(args.cursor);
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  if (offset === undefined) return fail('invalid_cursor');
  const limit = num(args.limit) ?? DEFAULT_PAGE;
  if (limit < 1) return fail('invalid_limit');
  const page = channel.memberIds.slice(offset, offset + Math.min(limit, MAX_PAGE));
  const next = offset + page.length;
  return {
    ok: true,
    members: page,
    response_metadata: { next_cursor: next < channel.memberIds.length ? encodeCursor(next) : '' },
  };
};
