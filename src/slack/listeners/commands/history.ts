import type { RespondFn } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import type { GroupRef } from '../../grammar/parse-groups-command.js';

/** `/groups history [group]` (owned by the approvals work; placeholder until it lands). */
export async function runHistoryCommand(
  _ctx: SlackContext,
  input: { userId: string; group?: GroupRef; respond: RespondFn },
) {
  await input.respond({ response_type: 'ephemeral', text: 'History is not available yet.' });
}
