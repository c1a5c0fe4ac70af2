import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { registerApprovalListeners } from './approvals/register-approval-listeners.js';
import { registerChangeActionListeners } from './changes/register-change-actions.js';
import { registerCommandListeners } from './commands/register-commands.js';
import { registerReminderListeners } from './expiry/reminder-actions.js';
import { registerHomeListeners } from './home/register-home-listeners.js';
import { registerModalListeners } from './modal/register-modal-listeners.js';
import { registerShortcutListeners } from './shortcuts/register-shortcuts.js';

/** One `register*` per folder (bolt-ts-starter-template): commands, change buttons, the modal, approvals. */
export function registerListeners(app: App, context: SlackContext): void {
  registerCommandListeners(app, context);
  registerChangeActionListeners(app, context);
  registerModalListeners(app, context);
  registerApprovalListeners(app, context);
  registerReminderListeners(app, context);
  registerHomeListeners(app, context);
  registerShortcutListeners(app, context);
}
