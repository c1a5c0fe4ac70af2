import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';

/** The `/groups` modal: option loads and submissions (owned by the modal work). */
export function registerModalListeners(_app: App, _context: SlackContext): void {}
