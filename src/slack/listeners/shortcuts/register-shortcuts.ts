import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { SHORTCUT } from '../../ids.js';
import { responderFor } from '../commands/reply.js';
import { openChangeModal } from '../modal/open-change-modal.js';
import { addFromMessageListener } from './add-from-message.js';

/**
 * The two shortcuts of manifest.yml (SPEC §4.8): "Manage Kantata groups" (global) opens the `/groups`
 * modal; "Add these people to a Kantata group" (on a message) opens it with the people the message names.
 * Both open at once, within the trigger's 3 seconds; who may do what is checked at submission.
 */
export function registerShortcutListeners(app: App, ctx: SlackContext): void {
  app.shortcut(SHORTCUT.manageGroups, async ({ ack, shortcut, client }) => {
    await ack();
    const userId = shortcut.user.id;
    // A global shortcut has no channel and no response_url: a failure to open is told by direct message.
    const respond = responderFor({ client, logger: ctx.logger, userId });
    await openChangeModal(ctx, { client, triggerId: shortcut.trigger_id, userId, respond });
  });
  app.shortcut(SHORTCUT.addFromMessage, addFromMessageListener(ctx));
}
