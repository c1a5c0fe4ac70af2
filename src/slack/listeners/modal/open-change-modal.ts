import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackContext } from '../../context.js';

/** `/groups` alone: opens the modal at once (owned by the modal work; placeholder until it lands). */
export async function openChangeModal(
  _ctx: SlackContext,
  input: { client: WebClient; triggerId: string; userId: string; respond: RespondFn },
): Promise<void> {
  await input.respond({ response_type: 'ephemeral', text: 'The modal is not available yet.' });
}
