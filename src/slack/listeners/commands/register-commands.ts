import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { runGroupsCommand } from './groups-command.js';

/** The slash command as declared in manifest.yml. */
export const GROUPS_COMMAND = '/groups';

/** `/groups`: ack at once (the 3-second rule), then the work; all answers go through `respond`. */
export function registerCommandListeners(app: App, ctx: SlackContext): void {
  app.command(GROUPS_COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    await runGroupsCommand(ctx, {
      text: typeof command.text === 'string' ? command.text : '',
      userId: command.user_id,
      triggerId: command.trigger_id,
      respond,
      client,
    });
  });
}
