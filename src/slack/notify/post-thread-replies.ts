import type { SlackMessage } from '../views/blocks.js';
import { type NotifyContext, slackClientOf } from './notify-context.js';

/**
 * The names of a large change, as replies under its notification. The notification itself is already
 * recorded as posted, so a reply that fails is retried once and then logged, never re-posted with the
 * whole notification.
 */
export async function postThreadReplies(
  ctx: NotifyContext,
  input: { changeId: string; channel: string; threadTs: string; messages: SlackMessage[] },
): Promise<void> {
  for (const [index, message] of input.messages.entries()) {
    const post = () =>
      slackClientOf(ctx).chat.postMessage({
        channel: input.channel,
        thread_ts: input.threadTs,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    try {
      await post().catch(post);
    } catch (error) {
      ctx.logger.warn('notification thread reply failed', {
        changeId: input.changeId,
        reply: index + 1,
        of: input.messages.length,
        error,
      });
    }
  }
}
