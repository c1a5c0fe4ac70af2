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

type Elsewhere = { client: WebClient; logger: Logger; userId?: string; channelId?: string };

/**
 * Bolt gives `respond` only when the payload has a response_url. A payload without one (hand-made, or a
 * surface Slack gives none for) still gets an answer: ephemerally in its channel, or by direct message.
 */
export function responderFor(args: Elsewhere & { respond?: RespondFn }): RespondFn {
  if (typeof args.respond === 'function') return args.respond;
  return respondElsewhere(args);
}

/**
 * Answers the person without a response_url: ephemerally in the channel when there is one, and by direct
 * message when there is none or the ephemeral is refused (the bot is not in that channel, say).
 */
export function respondElsewhere(args: Elsewhere): RespondFn {
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const text = body.text ?? 'Kantata groups';
    const blocks = 'blocks' in body ? { blocks: body.blocks } : {};
    const { userId, channelId, client } = args;
    if (!userId) {
      args.logger.warn('cannot answer a payload with neither response_url nor user');
      return new Response(null, { status: 204 });
    }
    const ephemeral = channelId
      ? await client.chat.postEphemeral({ channel: channelId, user: userId, text, ...blocks }).then(
          () => true,
          (error: unknown) => {
            args.logger.info('could not answer ephemerally in the channel: by direct message', { error });
            return false;
          },
        )
      : false;
    if (!ephemeral) await client.chat.postMessage({ channel: userId, text, ...blocks });
    return new Response(null, { status: 200 });
  };
}

/**
 * Answers through `respond` and, should Slack refuse it (the response_url used up or expired: 404), through
 * `elsewhere`, so that an answer that matters (an applied change's result) is never lost.
 */
export async function replyOrElsewhere(
  input: { respond: RespondFn; elsewhere: RespondFn; logger: Logger; meta: Record<string, unknown> },
  message: SlackMessage,
  options: { replace?: boolean } = {},
): Promise<void> {
  await reply(respondOrElsewhere(input), message, options);
}

/** `respond` that, should Slack refuse the response_url, sends the same answer apart (see `replyOrElsewhere`). */
export function respondOrElsewhere(input: {
  respond: RespondFn;
  elsewhere: RespondFn;
  logger: Logger;
  meta: Record<string, unknown>;
}): RespondFn {
  return async (message) => {
    try {
      return await input.respond(message);
    } catch (error) {
      input.logger.warn('Slack refused the answer on its response_url: sent it apart', {
        ...input.meta,
        error,
      });
      return input.elsewhere(message);
    }
  };
}
