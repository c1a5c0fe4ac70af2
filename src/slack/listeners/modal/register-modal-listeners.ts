import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { registerPreviewClosed } from './close-change-preview.js';
import { registerGroupOptions } from './group-options.js';
import { registerChangeFormSubmission } from './submit-change-form.js';
import { registerPreviewSubmission } from './submit-change-preview.js';

/** The `/groups` modal (SPEC §4.2): group type-ahead, form submission, preview submission and close. */
export function registerModalListeners(app: App, context: SlackContext): void {
  registerGroupOptions(app, context);
  registerChangeFormSubmission(app, context);
  registerPreviewSubmission(app, context);
  registerPreviewClosed(app, context);
}
