import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { createActionRouter } from './action-router.js';
import { registerApprovalListeners } from './approvals/register-approval-listeners.js';
import { registerChangeActionListeners } from './changes/register-change-actions.js';
import { registerCommandListeners } from './commands/register-commands.js';
import { registerReminderListeners } from './expiry/reminder-actions.js';
import { registerHomeListeners } from './home/register-home-listeners.js';
import { registerModalListeners } from './modal/register-modal-listeners.js';
import { registerShortcutListeners } from './shortcuts/register-shortcuts.js';

/** One `register*` per folder (bolt-ts-starter-template): commands, change buttons, the modal, approvals. */
export function registerListeners(app: App, context: SlackContext): void {
  // Buttons go through one router (see action-router.ts); everything else is registered with Bolt directly.
  const withButtons = createActionRouter(app);
  registerCommandListeners(app, context);
  registerChangeActionListeners(withButtons, context);
  registerModalListeners(app, context);
  registerApprovalListeners(withButtons, context);
  registerReminderListeners(withButtons, context);
  registerHomeListeners(withButtons, context);
  registerShortcutListeners(app, context);
}
