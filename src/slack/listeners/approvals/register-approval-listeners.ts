import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';

/** Approve / Deny / Withdraw / Undo buttons and the deny modal (owned by the approvals work). */
export function registerApprovalListeners(_app: App, _context: SlackContext): void {}
