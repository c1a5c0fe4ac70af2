import type { WebClient } from '@slack/web-api';
import type { SlackContext } from '../context.js';
import { slackClientOf } from '../notify/notify-context.js';

/**
 * What the approval flows need: the Slack context, and the listener's Web API client when there is one.
 * Background jobs pass the plain context and get a client built from the same configuration.
 */
export type ApprovalsContext = SlackContext & { client?: WebClient };

export function approvalsClient(ctx: ApprovalsContext): WebClient {
  return slackClientOf(ctx);
}
