import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logging/logger.js';
import type { SlackMessage } from '../../views/blocks.js';

/** Every answer to the person is ephemeral (SPEC §3); `replace` swaps out the message a click came from. */
export async function reply(respond: RespondFn, message: SlackMessage, options: { replace?: boolean } = {}) {
  await respond({
    response_type: 'ephemeral',
    replace_original: options.replace ?? false,
    text: message.text,
    blocks: message.blocks,
  });
}

/**
 * Bolt gives `respond` only when the payload has a response_url. A payload without one (hand-made, or a
 * surface Slack gives none for) still gets an answer: ephemerally in its channel, or by direct message.
 */
export function responderFor(args: {
  respond?: RespondFn;
  client: WebClient;
  logger: Logger;
  userId?: string;
  channelId?: string;
}): RespondFn {
  if (typeof args.respond === 'function') return args.respond;
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const text = body.text ?? 'Kantata groups';
    const blocks = 'blocks' in body ? body.blocks : undefined;
    if (!args.userId) {
      args.logger.warn('cannot answer a payload with neither response_url nor user');
      return new Response(null, { status: 204 });
    }
    if (args.channelId) {
      await args.client.chat.postEphemeral({
        channel: args.channelId,
        user: args.userId,
        text,
        ...(blocks ? { blocks } : {}),
      });
    } else {
      await args.client.chat.postMessage({ channel: args.userId, text, ...(blocks ? { blocks } : {}) });
    }
    return new Response(null, { status: 200 });
  };
}
