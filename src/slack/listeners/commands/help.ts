import type { RespondFn } from '@slack/bolt';
import { helpText } from '../../grammar/parse-groups-command.js';
import { helpMessage } from '../../views/help-message.js';
import { reply } from './reply.js';

/** `/groups help`: every form, with examples. */
export async function runHelpCommand(input: { respond: RespondFn }): Promise<void> {
  await reply(input.respond, helpMessage(helpText()));
}
