import type { WebClient } from '@slack/web-api';
import type { SlackContext } from '../context.js';
import { slackClientOf } from '../notify/notify-context.js';
import type { SlackMessage } from '../views/blocks.js';

/**
 * What the approval flows need: the Slack context, and the listener's Web API client when there is one.
 * Background jobs pass the plain context and get a client built from the same configuration.
 */
export type ApprovalsContext = SlackContext & { client?: WebClient };

export function approvalsClient(ctx: ApprovalsContext): WebClient {
  return slackClientOf(ctx);
}

/** Replaces the message at `at` with `message` (chat.update): how a card, or an owner's copy of it, is redrawn. */
export async function redrawMessage(
  ctx: ApprovalsContext,
  at: { channel: string; ts: string },
  message: SlackMessage,
): Promise<void> {
  await approvalsClient(ctx).chat.update({
    channel: at.channel,
    ts: at.ts,
    text: message.text,
    blocks: message.blocks,
  });
}
