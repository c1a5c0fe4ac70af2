import { validateMessageBlocks } from '../block-validation.js';
import type { FakeContext, MethodHandler, MethodResult } from './context.js';
import { fail, str } from './context.js';

const MAX_TEXT = 40_000;

/** Checks shared by every way of sending a message. Returns the failure, or null when Slack would accept it. */
function checkContent(args: Record<string, unknown>): MethodResult | null {
  const text = typeof args.text === 'string' ? args.text : undefined;
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  if (!text && !hasBlocks && args.attachments === undefined) return fail('no_text');
  if (text && text.length > MAX_TEXT) return fail('msg_too_long');
  const v = validateMessageBlocks(args.blocks);
  return v.ok ? null : fail(v.error, v.messages);
}

/** Resolves `channel` the way Slack does: a user id means the DM with the bot. */
function targetChannel(
  ctx: FakeContext,
  channel: string,
): { ok: true; id: string } | { ok: false; error: string } {
  if (/^[UW]/.test(channel)) {
    return ctx.directory.users.has(channel)
      ? { ok: true, id: ctx.dmChannelOf(channel) }
      : { ok: false, error: 'channel_not_found' };
  }
  return /^[CGD]/.test(channel) ? { ok: true, id: channel } : { ok: false, error: 'channel_not_found' };
}

export const postMessage: MethodHandler = (ctx, args) => {
  const channelArg = str(args.channel);
  if (!channelArg) return fail('channel_not_found');
  const target = targetChannel(ctx, channelArg);
  if (!target.ok) return fail(target.error);
  const problem = checkContent(args);
  if (problem) return problem;
  const threadTs = str(args.thread_ts);
  if (threadTs && !ctx.messages.get(target.id, threadTs)) return fail('thread_not_found');
  const ts = ctx.ts.next();
  const message = {
    channel: target.id,
    ts,
    ...(threadTs ? { threadTs } : {}),
    ...(typeof args.text === 'string' ? { text: args.text } : {}),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
    updates: 0,
    args,
  };
  ctx.messages.put(message);
  return {
    ok: true,
    channel: target.id,
    ts,
    message: {
      type: 'message',
      user: ctx.botUserId,
      bot_id: ctx.botId,
      ts,
      text: message.text ?? '',
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(message.blocks ? { blocks: message.blocks } : {}),
    },
  };
};

/** Only messages the app posted can be updated, by channel id (not user id) and ts. */
export const update: MethodHandler = (ctx, args) => {
  const channel = str(args.channel);
  const ts = str(args.ts);
  if (!channel) return fail('channel_not_found');
  if (!ts) return fail('message_not_found');
  const existing = ctx.messages.get(channel, ts);
  if (!existing || existing.channel !== channel) return fail('message_not_found');
  const problem = checkContent(args);
  if (problem) return problem;
  const next = {
    ...existing,
    updates: existing.updates + 1,
    args,
  };
  if (typeof args.text === 'string') next.text = args.text;
  if (Array.isArray(args.blocks)) next.blocks = args.blocks;
  ctx.messages.put(next);
  return { ok: true, channel, ts, text: next.text ?? '' };
};

export const postEphemeral: MethodHandler = (ctx, args) => {
  const channel = str(args.channel);
  const user = str(args.user);
  if (!channel) return fail('channel_not_found');
  if (!user || !ctx.directory.users.has(user)) return fail('user_not_found');
  const target = targetChannel(ctx, channel);
  if (!target.ok) return fail(target.error);
  const problem = checkContent(args);
  if (problem) return problem;
  const messageTs = ctx.ts.next();
  ctx.messages.ephemerals.push({
    channel: target.id,
    user,
    ...(typeof args.text === 'string' ? { text: args.text } : {}),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
    messageTs,
  });
  return { ok: true, message_ts: messageTs };
};

export { checkContent as checkMessageContent };
