import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';

/** `/groups requests` (owned by the approvals work; placeholder until it lands). */
export async function runRequestsCommand(_ctx: SlackContext, input: { userId: string; respond: RespondFn }) {
  await input.respond({ response_type: 'ephemeral', text: 'Requests are not available yet.' });
}
